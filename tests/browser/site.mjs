// The web root of the browser tests, served by tools/serve.mjs from a temporary folder of links:
//   /webdnn/    the JS package under test (BUILD/webdnn-js)
//   /models/    the converted models (the tests' cache in the build tree)
//   /models-gpu/  ... converted for the GPU backends too
//   /models-webgl/  ... converted for webgl (see convertedWebGl)
//   /scratch/   this run's own files (broken copies of models and packages)
//   /*.html     the test pages of tests/browser/pages
// and helpers: usePage (Chromium, the site and a page for a test file), runInPage (a model run in a
// page) and checkModel (a test of a model's answers in the page against onnxruntime).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { serve } from '../../tools/serve.mjs';
import { ARRAY_OF } from '../e2e/npy.mjs';
import { CONVERTED, CONVERTED_GPU, CONVERTED_WEBGL, PACKAGE, converted, model, reference, verdict } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');
export const CSP = "script-src 'self' 'wasm-unsafe-eval'";

// One root, served plainly, cross-origin isolated (threads) and under a strict CSP; `handle` as
// tools/serve.mjs takes it, given the root too (handle(req, res, url, root)).
export async function startSite({ handle } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-browser-'));
  fs.mkdirSync(CONVERTED, { recursive: true });
  fs.symlinkSync(PACKAGE, path.join(root, 'webdnn'));
  fs.symlinkSync(CONVERTED, path.join(root, 'models'));
  fs.mkdirSync(CONVERTED_GPU, { recursive: true });
  fs.symlinkSync(CONVERTED_GPU, path.join(root, 'models-gpu'));
  fs.mkdirSync(CONVERTED_WEBGL, { recursive: true });
  fs.symlinkSync(CONVERTED_WEBGL, path.join(root, 'models-webgl'));
  for (const f of fs.readdirSync(PAGES)) fs.symlinkSync(path.join(PAGES, f), path.join(root, f));
  const scratch = path.join(root, 'scratch');
  fs.mkdirSync(scratch);
  const answer = handle && ((req, res, url) => handle(req, res, url, root));
  const [plain, isolated, strict, strictIsolated] = await Promise.all([serve({ root, handle: answer }),
    serve({ root, isolate: true, handle: answer }), serve({ root, csp: CSP, handle: answer }), serve({ root, isolate: true, csp: CSP, handle: answer })]);
  return {
    root, scratch, plain, isolated, strict, strictIsolated,
    async close() {
      await Promise.all([plain, isolated, strict, strictIsolated].map((s) => new Promise((r) => s.close(r))));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

// For a test file: Chromium (without WebAssembly when `noWasm`), the site and a page on its
// index.html, started before the file's tests (then `setup(use)` runs) and closed after them.
// The returned object gets { browser, site, page } once they are up. Node 20 runs a file's
// top-level before() hooks at once, not in turn: what needs the page goes in `setup`. `handle`:
// see startSite.
export function usePage({ noWasm = false, setup, handle } = {}) {
  const use = {};
  before(async () => {
    [use.browser, use.site] = await Promise.all([launch({ noWasm }), startSite({ handle })]);
    use.page = await openPage(use.browser, `${use.site.plain.url}/index.html`);
    await setup?.(use);
  });
  after(async () => {
    await use.browser?.close();
    await use.site?.close();
  });
  return use;
}

// Typed arrays cross into the page as plain arrays of numbers (int64 too: TensorView.set takes
// them; float16 as its bits, which the page makes a Uint16Array again).
export const plainInputs = (inputs) => inputs.map((i) => ({ name: i.name, type: i.type, data: Array.from(i.data, Number) }));

// Outputs as they come back from a page, typed again for compare.mjs.
export function typedOutputs(outputs) {
  return Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, {
    ...o, data: o.type === 'int64' ? BigInt64Array.from(o.data, (v) => BigInt(v)) : ARRAY_OF[o.type].from(o.data),
  }]));
}

// In `page`: WebDNN.load(url, options), then a run at each reference's inputs in turn (their
// shapes set through inputs[i].set(values, shape)). Returns { backendName, results: [{ ms, outputs }] }
// with each run's time and outputs ({name: {type, shape, data}}, as typedOutputs gives them).
export async function runAtShapes(page, url, options, refs) {
  const runs = refs.map((r) => r.inputs.map((i) => ({ name: i.name, data: Array.from(i.data, Number), shape: i.shape })));
  const r = await page.evaluate(async ({ url, options, runs }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const runner = await WebDNN.load(url, options);
    try {
      const results = [];
      for (const inputs of runs) {
        for (const i of inputs) runner.inputs.find((x) => x.name === i.name).set(i.data, i.shape);
        const started = performance.now();
        await runner.run();
        const ms = performance.now() - started;
        results.push({ ms, outputs: Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) }])) });
      }
      return { backendName: runner.backendName, results };
    } finally {
      runner.dispose();
    }
  }, { url, options, runs });
  return { ...r, results: r.results.map(({ ms, outputs }) => ({ ms, outputs: typedOutputs(outputs) })) };
}

// In `page`: WebDNN.load(dir, options) with the package at `pkg`, set the inputs, run once.
// Returns { backendName, numThreads, worker, outputs: {name: {type, shape, data}} }.
export async function runInPage(page, dir, options, inputs, pkg = '/webdnn') {
  const r = await page.evaluate(async ({ dir, options, inputs, pkg }) => {
    try {
      const { default: WebDNN } = await import(`${pkg}/webdnn.mjs`);
      const runner = await WebDNN.load(dir, options);
      for (const i of inputs) {
        const view = runner.inputs.find((v) => v.name === i.name);
        if (!view) throw new Error(`the runner has no input '${i.name}'`);
        view.set(i.type === 'float16' ? new Uint16Array(i.data) : i.data);
      }
      await runner.run();
      // The computed values (float32 for a float16 output), which compare.mjs takes as they are.
      const outputs = {};
      for (const o of runner.outputs) outputs[o.name] = { type: o.dtype, shape: o.shape, data: Array.from(o.view(), Number) };
      runner.dispose();
      return { backendName: runner.backendName, numThreads: runner.numThreads, worker: !!runner.worker, relaxedSimd: runner.relaxedSimd, outputs };
    } catch (e) {
      return { error: `${e?.constructor?.name}: ${e?.message ?? e}` };
    }
  }, { dir, options, inputs: plainInputs(inputs), pkg });
  if (r.error) throw new Error(`in the page: ${r.error}\npage console:\n${page.messages.join('\n')}`);
  return { ...r, outputs: typedOutputs(r.outputs) };
}

// A test that runs per-op or shared model `name` in the page with load `options` and asserts
// onnxruntime's answers; `expect(ours)` asserts which runtime ran it.
export function checkModel(use, name, options, expect) {
  test(name, async (t) => {
    const m = model(name);
    converted(m);
    const ref = await reference(m);
    const ours = await runInPage(use.page, `/models/${name}`, options, ref.inputs);
    expect(ours);
    const { problems, lines } = verdict(ours.outputs, ref);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on ${ours.backendName} disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}
