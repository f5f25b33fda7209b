// WebDNN.load(dir, {worker: true}): every backend (wasm, fallback, webgpu, webgl through
// OffscreenCanvas) loads and runs in a dedicated worker with the same API and answers; errors and
// progress come back as on the main thread; threaded wasm on a page always runs in a worker (no
// "Blocking on the main thread" warning); the page's main thread has no long task while ResNet50
// loads and runs there, where the same run on the main thread is one. Answers from
// onnxruntime-node; every page's console must stay free of errors and warnings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { converted, convertedWebGl, model, reference, verdict } from '../js/support.mjs';
import { openPage } from './driver.mjs';
import { runInPage, usePage } from './site.mjs';
import { WEBGL_TOLERANCE } from './webgl_support.mjs';
import { WEBGPU_TOLERANCE } from './webgpu_support.mjs';

let ref;
const use = usePage({
  async setup() {
    const m = model('op_Conv');
    converted(m);
    converted(m, { gpu: true });
    convertedWebGl(m);
    ref = await reference(m);
  },
});

// Console lines that are errors or warnings, since `from`.
const noise = (page, from = 0) => page.messages.slice(from).filter((m) => /^\[(error|warning|pageerror)\]/.test(m));

for (const [backend, dir, tolerance] of [['wasm', '/models/op_Conv'], ['fallback', '/models/op_Conv'],
  ['webgpu', '/models-gpu/op_Conv', WEBGPU_TOLERANCE], ['webgl', '/models-webgl/op_Conv', WEBGL_TOLERANCE]]) {
  test(`${backend} in a worker`, async () => {
    const from = use.page.messages.length;
    const ours = await runInPage(use.page, dir, { backendOrder: [backend], worker: true }, ref.inputs);
    assert.equal(ours.backendName, backend);
    assert.equal(ours.worker, true);
    assert.deepEqual(verdict(ours.outputs, ref, tolerance).problems, []);
    assert.deepEqual(noise(use.page, from), []);
  });
}

test('in a worker: load errors and progress as on the main thread, runs after dispose refused', async () => {
  const r = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const error = async (options) => WebDNN.load('/models/none', options).then(() => 'loaded', (e) => e.message);
    const calls = [];
    const runner = await WebDNN.load('/models/op_Conv', { backendOrder: 'wasm', worker: true, progressCallback: (...a) => calls.push(a) });
    runner.dispose();
    const afterDispose = await runner.run().then(() => 'ran', (e) => e.message);
    return { inWorker: await error({ worker: true }), here: await error({}), calls, afterDispose };
  });
  assert.equal(r.inWorker, r.here);
  assert.match(r.inWorker, /^WebDNN.load\('\/models\/none'\): cannot fetch manifest '\/models\/none\/manifest.json' \(HTTP 404/);
  const total = fs.statSync(path.join(converted(model('op_Conv')), 'weights-wasm.bin.zst')).size;
  assert.deepEqual(r.calls.at(-1), [total, total]);
  assert.equal(r.afterDispose, 'this runner was disposed');
});

// Runs ResNet50 in `page` (load, then `runs` runs) while a PerformanceObserver records the main
// thread's long tasks (over 50 ms); returns their durations in ms and the runner's facts. The
// observer starts once the page has imported WebDNN: compiling the page's own modules is not the
// runner's work, and on a fresh page of a loaded machine it may take 50 ms by itself.
// A ResNet50 run or load on the main thread blocks it for hundreds of ms; with the work in a worker
// the main thread may still see a shorter long task on a loaded 2-core machine (a collection of the
// previous runner's heap, a busy compositor), so "free" means no task as long as this.
const RUNNER_TASK_MS = 150;

async function longTasks(page, options, runs = 2) {
  return page.evaluate(async ({ options, runs }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    await new Promise((r) => setTimeout(r, 0));  // the import's task ends before observing
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const runner = await WebDNN.load('/models/resnet50', options);
    runner.inputs[0].set(new Float32Array(runner.inputs[0].size).fill(0.5));
    for (let i = 0; i < runs; i++) await runner.run();
    const top = WebDNN.Math.argmax(runner.outputs[0].toActual(), 1)[0];
    runner.dispose();
    await new Promise((r) => setTimeout(r, 100));  // the observer reports after the task
    observer.disconnect();
    return { tasks, top, worker: !!runner.worker, numThreads: runner.numThreads };
  }, { options, runs });
}

test('ResNet50 in a worker leaves the main thread free; on the main thread a run is a long task', async (t) => {
  converted(model('resnet50'));
  const from = use.page.messages.length;
  const main = await longTasks(use.page, { backendOrder: 'wasm', worker: false }, 1);
  assert.equal(main.worker, false);
  assert.ok(main.tasks.some((ms) => ms >= RUNNER_TASK_MS), `no runner-sized task on the main thread: ${JSON.stringify(main.tasks)}`);
  const off = await longTasks(use.page, { backendOrder: 'wasm', worker: true });
  t.diagnostic(`main-thread long tasks (ms): runner on the main thread ${JSON.stringify(main.tasks.map(Math.round))}, ` +
    `in a worker ${JSON.stringify(off.tasks.map(Math.round))}`);
  assert.equal(off.worker, true);
  assert.deepEqual(off.tasks.filter((ms) => ms >= RUNNER_TASK_MS), [], 'runner-sized tasks on the main thread while the worker computed');
  assert.equal(off.top, main.top);
  assert.deepEqual(noise(use.page, from), []);
});

test('threaded wasm on a cross-origin isolated page runs in a worker, without the blocking warning', async () => {
  const page = await openPage(use.browser, `${use.site.isolated.url}/index.html`);
  try {
    const threaded = await longTasks(page, { backendOrder: 'wasm', numThreads: 2 });
    assert.equal(threaded.numThreads, 2);
    assert.equal(threaded.worker, true);
    assert.deepEqual(threaded.tasks.filter((ms) => ms >= RUNNER_TASK_MS), []);
    const ours = await runInPage(page, '/models/op_Conv', { backendOrder: 'wasm', numThreads: 2 }, ref.inputs);
    assert.equal(ours.numThreads, 2);
    assert.deepEqual(verdict(ours.outputs, ref).problems, []);
    // worker: false keeps it on the main thread, with one thread rather than blocking there.
    const single = await runInPage(page, '/models/op_Conv', { backendOrder: 'wasm', numThreads: 2, worker: false }, ref.inputs);
    assert.equal(single.numThreads, 1);
    assert.equal(single.worker, false);
    assert.deepEqual(verdict(single.outputs, ref).problems, []);
    assert.deepEqual(noise(page), []);
  } finally {
    await page.close();
  }
});
