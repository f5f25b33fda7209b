// Faults in the browser (Chromium, WebGPU and WebGL on SwiftShader), on the small per-op models:
// a weights download cut in the middle, HTTP 404 and 500, a very slow network, another model's
// weights, WebDNN.load aborted through an AbortSignal (wasm, worker, webgpu, webgl; what it took
// freed), the WebGPU device lost during a run, the WebGL context lost and restored, two runners
// in one page, run() called again before the last one finished, dispose() during a run, and a
// threaded runtime whose thread workers cannot start. Each ends with a clear error or the right
// answer (onnxruntime-node's), and leaves no unhandled rejection, page error or worker behind.
// One Chromium for the file; tools/serve.mjs answers /fault/... through faults_server.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { converted, convertedWebGl, model, onnxFile, ort, PACKAGE, reference, verdict } from '../js/support.mjs';
import { openPage } from './driver.mjs';
import { faultServer, GAP_MS, PIECE } from './faults_server.mjs';
import { typedOutputs, usePage } from './site.mjs';
import { captureContexts, WEBGL_TOLERANCE } from './webgl_support.mjs';
import { captureDevices, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const faults = faultServer();
const refs = {};
const use = usePage({
  handle: faults.handle,
  async setup() {
    for (const name of ['op_Conv', 'op_Gemm']) {
      const m = model(name);
      converted(m);
      converted(m, { gpu: true });
      refs[name] = await reference(m);
    }
    convertedWebGl(model('op_Conv'));
    refs.op_Conv.second = await secondReference(model('op_Conv'), refs.op_Conv);
    await watch(use.page);
  },
});

// onnxruntime-node's outputs for the reference's inputs reversed: a second input that a run
// interleaved with the first would show.
async function secondReference(m, ref) {
  const inputs = ref.inputs.map((i) => ({ ...i, data: i.data.slice().reverse() }));
  const session = await ort.InferenceSession.create(onnxFile(m), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const result = await session.run(Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor(i.type, i.data, i.shape)])));
  const outputs = Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, shape: [...result[n].dims], data: result[n].data }]));
  await session.release();
  return { inputs, outputs };
}

// Unhandled rejections in the page become console lines; page errors are collected by openPage.
async function watch(page) {
  await page.evaluate(() => {
    window.addEventListener('unhandledrejection', (e) => console.error(`[unhandledrejection] ${e.reason?.message ?? e.reason}`));
  });
}

// What a test must not leave behind in `page`: unhandled rejections, page errors, workers.
async function assertClean(page, from) {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));  // rejections are reported after a task
  const bad = page.messages.slice(from).filter((m) => /^\[pageerror\]|\[unhandledrejection\]/.test(m));
  assert.deepEqual(bad, []);
  for (let i = 0; i < 20 && page.workers().length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(page.workers().map((w) => w.url()), [], 'workers left running');
}

// page.evaluate(fn, arg), then a check that it left the page clean.
async function inPage(fn, arg, page = use.page) {
  const from = page.messages.length;
  const r = await page.evaluate(fn, arg);
  await assertClean(page, from);
  return r;
}

const plainInputs = (ref) => ref.inputs.map((i) => ({ name: i.name, data: Array.from(i.data, Number) }));
const loadError = (dir, options) => inPage(async ({ dir, options }) => {
  const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
  return WebDNN.load(dir, options).then((r) => {
    r.dispose();
    return 'loaded';
  }, (e) => e.message);
}, { dir, options });
const size = (dir, file) => fs.statSync(path.join(dir, file)).size;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('a weights download cut in the middle: load says which file and how far it got, and caches nothing', async () => {
  const total = size(converted(model('op_Conv')), 'weights-wasm.bin.zst');
  const dir = '/fault/cut/models/op_Conv';
  const r = await inPage(async ({ dir }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    await WebDNN.clearCache();
    const message = await WebDNN.load(dir, { backendOrder: ['wasm'], cache: true }).then(() => 'loaded', (e) => e.message);
    const cached = (await (await caches.open('webdnn')).keys()).map((k) => new URL(k.url).pathname);
    return { message, cached };
  }, { dir });
  assert.match(r.message, new RegExp(`^WebDNN.load\\('${escape(dir)}'\\): no backend could run the model. wasm: the download of ` +
    `weights file '${escape(dir)}/weights-wasm.bin.zst' broke off after \\d+ of ${total} bytes \\(.+\\); try again$`));
  assert.ok(!r.cached.some((p) => p.endsWith('.bin.zst')), `a cut download was cached: ${r.cached}`);
});

test('HTTP 404 and 500 for the weights: load says which file and the status', async () => {
  for (const [status, text] of [[404, 'Not Found'], [500, 'Internal Server Error']]) {
    const dir = `/fault/${status}/models/op_Conv`;
    assert.equal(await loadError(dir, { backendOrder: ['wasm'] }), `WebDNN.load('${dir}'): no backend could run the model. ` +
      `wasm: cannot fetch weights file '${dir}/weights-wasm.bin.zst' (HTTP ${status} ${text})`);
  }
});

test('a very slow network: progress moves with every piece, and the model gives the right answer', async () => {
  const total = size(converted(model('op_Conv')), 'weights-wasm.bin.zst');
  const r = await inPage(async ({ inputs }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const calls = [];
    const runner = await WebDNN.load('/fault/slow/models/op_Conv', { backendOrder: ['wasm'], progressCallback: (loaded, all) => calls.push([loaded, all, Date.now()]) });
    inputs.forEach((i, k) => runner.inputs[k].set(i.data));
    await runner.run();
    const outputs = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }]));
    runner.dispose();
    return { calls, outputs };
  }, { inputs: plainInputs(refs.op_Conv) });
  const served = faults.log.findLast((e) => e.kind === 'slow');
  assert.equal(served.finished, true);
  const pieces = Math.ceil(total / PIECE);
  // Pieces GAP_MS apart each arrive on their own; a busy machine may join a few.
  assert.ok(r.calls.length >= pieces / 2, `${r.calls.length} progress calls for ${pieces} pieces`);
  r.calls.forEach(([loaded, all], i) => {
    assert.equal(all, total);
    assert.ok(loaded > (i ? r.calls[i - 1][0] : 0), `call ${i}: ${loaded} after ${r.calls[i - 1]?.[0]}`);
  });
  assert.equal(r.calls.at(-1)[0], total);
  // Progress came while the file was still arriving, not all at its end.
  assert.ok(r.calls[0][2] < served.lastPieceAt, 'the first progress call came after the last piece was sent');
  assert.deepEqual(verdict(typedOutputs(r.outputs), refs.op_Conv).problems, []);
});

test('weights of another model: load refuses them, saying so', async () => {
  const source = converted(model('op_Conv'));
  const other = path.join(converted(model('op_Gemm')), 'weights-wasm.bin.zst');
  const copy = path.join(use.site.scratch, 'swapped');
  fs.cpSync(source, copy, { recursive: true });
  fs.copyFileSync(other, path.join(copy, 'weights-wasm.bin.zst'));
  const expects = size(source, 'weights-wasm.bin.zst'), has = fs.statSync(other).size;
  const tail = has < expects
    ? `has ${has} bytes; the descriptor expects ${expects} (an incomplete download, or the weights file of another model?)`
    : 'is longer than the descriptor says: it does not belong to this descriptor';
  assert.equal(await loadError('/scratch/swapped', { backendOrder: ['wasm'] }),
    `WebDNN.load('/scratch/swapped'): no backend could run the model. wasm: weights file 'weights-wasm.bin.zst' ${tail}`);
});

// WebDNN.load(dir, options) aborted (controller.abort(reason)) at the first progress call: what
// it rejects with, how many workers the page had then, and the GPU device or context it made.
const abortedLoad = (dir, options) => inPage(async ({ dir, options }) => {
  const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
  const controller = new AbortController();
  const reason = new Error('the user went elsewhere');
  const devices = globalThis.webgpuDevices?.length ?? 0, contexts = globalThis.webglContexts?.length ?? 0;
  let abortedAt = null;
  const error = await WebDNN.load(dir, { ...options, signal: controller.signal, progressCallback: () => {
    if (abortedAt !== null) return;
    abortedAt = performance.now();
    controller.abort(reason);
  } }).then((r) => {
    r.dispose();
    return null;
  }, (e) => ({ name: e.name, message: e.message, causeIsReason: e.cause === reason, isError: e instanceof Error, ms: performance.now() - abortedAt }));
  // The device may open after the abort: the load destroys it once the steps under way stop.
  const sleep = (ms) => new Promise((r) => setTimeout(() => r('not lost'), ms));
  let deviceLost = null;
  if (options.backendOrder[0] === 'webgpu') {
    for (let i = 0; i < 100 && !globalThis.webgpuDevices[devices]; i++) await sleep(20);
    const device = globalThis.webgpuDevices[devices];
    deviceLost = device ? await Promise.race([device.lost.then((i) => i.reason), sleep(2000)]) : 'no device';
  }
  // The context is given back once the load's steps under way have stopped.
  const context = globalThis.webglContexts?.[contexts];
  for (let i = 0; i < 100 && context && !context.isContextLost(); i++) await sleep(20);
  return { error, deviceLost, contextLost: context ? context.isContextLost() : null };
}, { dir, options });

test('an AbortSignal aborts the load at once, says what was aborted, and frees what it took', async () => {
  await captureDevices(use.page);
  await captureContexts(use.page);
  const cases = [
    ['wasm', '/fault/slow/models/op_Conv', { backendOrder: ['wasm'], cache: true }, 'weights-wasm.bin.zst'],
    ['wasm in a worker', '/fault/slow/models/op_Conv', { backendOrder: ['wasm'], worker: true }, null],
    ['webgpu', '/fault/slow/models-gpu/op_Conv', { backendOrder: ['webgpu', 'wasm'] }, 'weights-webgpu.bin.zst'],
    ['webgl', '/fault/slow/models-webgl/op_Conv', { backendOrder: ['webgl', 'wasm'] }, 'weights-webgl.bin.zst'],
  ];
  for (const [what, dir, options, file] of cases) {
    const requests = faults.log.length;
    const r = await abortedLoad(dir, options);
    assert.ok(r.error, `${what}: the load was not aborted`);
    assert.equal(r.error.name, 'AbortError', what);
    assert.equal(r.error.isError, true, what);
    assert.equal(r.error.causeIsReason, true, `${what}: the cause is not the signal's reason`);
    const doing = file ? `downloading ${escape(file)} \\(\\d+ of \\d+ bytes\\)` : 'downloading the weights in the WebDNN worker \\(\\d+ of \\d+ bytes\\)';
    assert.match(r.error.message, new RegExp(`^WebDNN.load\\('${escape(dir)}'\\) was aborted while ${doing}$`), what);
    // At once: no later backend tried, the download stopped before its end.
    const served = faults.log.slice(requests);
    assert.equal(served.length, 1, `${what}: ${JSON.stringify(served)}`);
    await new Promise((r) => setTimeout(r, GAP_MS * 4));
    assert.equal(served[0].finished, false, `${what}: the download went on to its end`);
    assert.equal(served[0].closed, true, `${what}: the download was not stopped`);
    if (what === 'webgpu') assert.equal(r.deviceLost, 'destroyed', 'the WebGPU device was not destroyed');
    if (what === 'webgl') assert.equal(r.contextLost, true, 'the WebGL context was not given back');
  }
  const cached = await inPage(async () => (await (await caches.open('webdnn')).keys()).map((k) => new URL(k.url).pathname));
  assert.ok(!cached.some((p) => p.endsWith('.bin.zst')), `an aborted download was cached: ${cached}`);
  // Already aborted: rejected before anything is fetched.
  const requests = faults.log.length;
  const early = await inPage(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    return WebDNN.load('/fault/slow/models/op_Conv', { signal: AbortSignal.abort() }).then(() => 'loaded', (e) => `${e.name}: ${e.message}`);
  });
  assert.equal(early, "AbortError: WebDNN.load('/fault/slow/models/op_Conv') was aborted before it started");
  assert.equal(faults.log.length, requests);
});

// In the page: loads `dir` with `options`, then `body` (an async function, sent as its source) is
// called with {runner, inputs, read, set, message, WebDNN} and returns what the test checks:
// read() gives the outputs, set(inputs) sets them, message(error) is an error's message.
const scenario = (dir, options, inputs, body) => inPage(async ({ dir, options, inputs, body }) => {
  const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
  const runner = await WebDNN.load(dir, options);
  const read = () => Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) }]));
  const set = (values) => values.forEach((i, k) => runner.inputs[k].set(i.data));
  const message = (e) => e?.message ?? String(e);
  const result = await (0, eval)(`(${body})`)({ runner, inputs, read, set, message, WebDNN });
  runner.dispose();
  return result;
}, { dir, options, inputs, body: body.toString() });

test('the WebGPU device lost during a run: run() rejects saying so; a new load works again', async () => {
  const ref = refs.op_Conv;
  const r = await scenario('/models-gpu/op_Conv', { backendOrder: ['webgpu'] }, plainInputs(ref), async ({ runner, inputs, set, message, WebDNN }) => {
    set(inputs);
    const running = runner.run();
    runner.device.destroy();
    const runError = await running.then(() => 'ran', message);
    const again = await WebDNN.load('/models-gpu/op_Conv', { backendOrder: ['webgpu'] });
    inputs.forEach((i, k) => again.inputs[k].set(i.data));
    await again.run();
    const outputs = Object.fromEntries(again.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }]));
    again.dispose();
    return { runError, backendName: again.backendName, outputs };
  });
  assert.match(r.runError, /^the WebGPU device was lost \(destroyed.*\); load the model again$/);
  assert.equal(r.backendName, 'webgpu');
  assert.deepEqual(verdict(typedOutputs(r.outputs), ref, WEBGPU_TOLERANCE).problems, []);
});

test('the WebGL context lost during a run and restored: runs refuse clearly; a new load works again', async () => {
  await captureContexts(use.page);
  const ref = refs.op_Conv;
  const r = await scenario('/models-webgl/op_Conv', { backendOrder: ['webgl'] }, plainInputs(ref), async ({ runner, inputs, set, message, WebDNN }) => {
    set(inputs);
    const gl = globalThis.webglContexts.at(-1);
    const control = gl.getExtension('WEBGL_lose_context');
    const running = runner.run();
    control.loseContext();
    const runError = await running.then(() => 'ran', message);
    const restored = new Promise((resolve) => gl.canvas.addEventListener('webglcontextrestored', resolve, { once: true }));
    control.restoreContext();
    await restored;
    const afterRestore = await runner.run().then(() => 'ran', message);
    const again = await WebDNN.load('/models-webgl/op_Conv', { backendOrder: ['webgl'] });
    inputs.forEach((i, k) => again.inputs[k].set(i.data));
    await again.run();
    const outputs = Object.fromEntries(again.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }]));
    again.dispose();
    return { runError, afterRestore, backendName: again.backendName, outputs };
  });
  assert.equal(r.runError, 'the WebGL context was lost during the run; load the model again');
  assert.equal(r.afterRestore, 'the WebGL context was lost after the model was loaded; load the model again');
  assert.equal(r.backendName, 'webgl');
  assert.deepEqual(verdict(typedOutputs(r.outputs), ref, WEBGL_TOLERANCE).problems, []);
});

test('two runners in one page run side by side (wasm, webgpu) and outlive each other', async () => {
  for (const [backend, base, tolerance] of [['wasm', '/models', undefined], ['webgpu', '/models-gpu', WEBGPU_TOLERANCE]]) {
    const r = await inPage(async ({ backend, base, conv, gemm }) => {
      const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
      const options = { backendOrder: [backend] };
      const [a, b] = await Promise.all([WebDNN.load(`${base}/op_Conv`, options), WebDNN.load(`${base}/op_Gemm`, options)]);
      const read = (runner) => Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }]));
      conv.forEach((i, k) => a.inputs[k].set(i.data));
      gemm.forEach((i, k) => b.inputs[k].set(i.data));
      await Promise.all([a.run(), b.run()]);
      const first = { conv: read(a), gemm: read(b) };
      a.dispose();
      b.outputs.forEach((o) => o.set(new Array(o.size).fill(0)));
      await b.run();
      const gemmAfter = read(b);
      b.dispose();
      return { first, gemmAfter, backends: [a.backendName, b.backendName] };
    }, { backend, base, conv: plainInputs(refs.op_Conv), gemm: plainInputs(refs.op_Gemm) });
    assert.deepEqual(r.backends, [backend, backend]);
    assert.deepEqual(verdict(typedOutputs(r.first.conv), refs.op_Conv, tolerance).problems, [], backend);
    assert.deepEqual(verdict(typedOutputs(r.first.gemm), refs.op_Gemm, tolerance).problems, [], backend);
    assert.deepEqual(verdict(typedOutputs(r.gemmAfter), refs.op_Gemm, tolerance).problems, [], `${backend}, after the other was disposed`);
  }
});

const RUNNERS = [
  ['webgpu', '/models-gpu/op_Conv', { backendOrder: ['webgpu'] }, WEBGPU_TOLERANCE],
  ['webgl', '/models-webgl/op_Conv', { backendOrder: ['webgl'] }, WEBGL_TOLERANCE],
  ['wasm in a worker', '/models/op_Conv', { backendOrder: ['wasm'], worker: true }, undefined],
];

test('run() called again before the last one finished: the runs queue, never interleave', async () => {
  const ref = refs.op_Conv;
  for (const [what, dir, options, tolerance] of RUNNERS) {
    const r = await scenario(dir, options, [plainInputs(ref), plainInputs(ref.second)], async ({ runner, inputs, read, set }) => {
      set(inputs[0]);
      const first = runner.run().then(read);
      set(inputs[1]);
      const second = runner.run().then(read);
      return { first: await first, second: await second };
    });
    assert.deepEqual(verdict(typedOutputs(r.first), ref, tolerance).problems, [], `${what}: the first run`);
    assert.deepEqual(verdict(typedOutputs(r.second), ref.second, tolerance).problems, [], `${what}: the second run`);
  }
});

test('dispose() during a run: that run and the queued ones reject saying so', async () => {
  for (const [what, dir, options] of RUNNERS) {
    const r = await scenario(dir, options, plainInputs(refs.op_Conv), async ({ runner, inputs, set, message }) => {
      set(inputs);
      const running = runner.run(), queued = runner.run();
      runner.dispose();
      return { running: await running.then(() => 'ran', message), queued: await queued.then(() => 'ran', message) };
    });
    const during = what.includes('worker') ? 'this runner was disposed' : 'this runner was disposed during the run';
    assert.equal(r.running, during, what);
    assert.match(r.queued, /^this runner was disposed/, what);
  }
});

test('a threaded runtime whose thread workers cannot start: load rejects at once, naming it', async () => {
  // A copy of the package without the threads' worker script, on a cross-origin isolated page.
  const pkg = path.join(use.site.scratch, 'webdnn-without-thread-worker');
  fs.mkdirSync(pkg);
  for (const f of fs.readdirSync(PACKAGE)) if (!f.endsWith('.worker.js')) fs.symlinkSync(path.join(PACKAGE, f), path.join(pkg, f));
  const page = await openPage(use.browser, `${use.site.isolated.url}/index.html`);
  try {
    await watch(page);
    const message = await inPage(async () => {
      const { default: WebDNN } = await import('/scratch/webdnn-without-thread-worker/webdnn.mjs');
      const hang = new Promise((r) => setTimeout(() => r('still loading after 20 s'), 20000));
      return Promise.race([hang, WebDNN.load('/models/op_Conv', { backendOrder: ['wasm'], numThreads: 2 }).then(() => 'loaded', (e) => e.message)]);
    }, undefined, page);
    assert.match(message, new RegExp("^WebDNN.load\\('/models/op_Conv'\\): no backend could run the model. wasm: cannot start the " +
      "runtime webdnn-runtime-wasm-threaded-relaxed: a thread's worker failed to start \\(is " +
      'webdnn-runtime-wasm-threaded-relaxed\\.worker\\.js ' +
      'served beside webdnn\\.mjs\\?\\)( \\(the loader said: .*\\))?$'));
  } finally {
    await page.close();
  }
});
