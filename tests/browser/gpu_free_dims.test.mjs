// Models converted once with their free dimensions kept (digits, BERT, GPT-2, DeepLab, an NMS), on a GPU backend in Chromium (SwiftShader;
// WEBDNN_TEST_BACKEND webgpu or webgl): the page's generator makes each new shape's descriptor at
// its first run. Each model runs at several shapes through inputs[i].set(values, shape), coming
// back to the first one (whose runner must be the cached one: nothing generated again), against
// onnxruntime-node at each shape within the GPU tolerance, outputs[i].shape checked; a shape the
// model does not take gets the runtime's own error before anything runs. The shapes share their
// weights on the GPU (gpuWeightBytes()): digits' are all the same at every batch, so its shapes
// hold what the first did; BERT's, GPT-2's and DeepLab's differ only in the few that depend on the
// shape (position embeddings, resize tables): kilobytes of megabytes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { convertedFreeGpu, reference, SHARED, model, sharedMissing, verdict } from '../js/support.mjs';
import { typedOutputs, usePage } from './site.mjs';
import { WEBGL_TOLERANCE } from './webgl_support.mjs';
import { WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const backend = process.env.WEBDNN_TEST_BACKEND ?? 'webgpu';
const tolerance = backend === 'webgl' ? WEBGL_TOLERANCE : WEBGPU_TOLERANCE;
const missing = sharedMissing();

const models2 = (name, ranges = {}) => ({ name, source: path.join(SHARED, 'models2', `${name}.onnx`), shared: true, shapes: {}, ranges });
// The shapes in order; the last is the first again. The two bigger nets run on one GPU backend each
// (`only`), for CI's time: what they add is the same on both (shapes generated in the page).
// `weights`: how much the GPU weights may grow from the first shape's to all shapes' (1: not at all).
const CASES = [
  { m: () => model('digits_cnn'), weights: 1, shapes: [{ image: [1, 1, 8, 8] }, { image: [3, 1, 8, 8] }, { image: [1, 1, 8, 8] }],
    refused: { shapes: [[2, 1, 9, 9]], error: /input 'image' has shape \[2,1,9,9\]: axis 2 is 9 where the model takes 8/ } },
  { m: () => models2('bert_tiny_dyn', { input_ids: [0, 30522], attention_mask: [1, 2] }), weights: 1.01,
    shapes: [{ input_ids: [1, 5], attention_mask: [1, 5] }, { input_ids: [2, 3], attention_mask: [2, 3] },
      { input_ids: [1, 1], attention_mask: [1, 1] }, { input_ids: [1, 5], attention_mask: [1, 5] }],
    refused: { shapes: [[1, 5], [1, 6]], error: /input 'attention_mask' axis 1 is 6, but input 'input_ids' axis 1 gave 'sequence' the value 5/ } },
  // Its exporter wrote reshapes to batch 1: the batch s33 is pinned by a one-value range.
  { m: () => models2('gpt2_tiny_dyn', { input_ids: [0, 50257] }), weights: 1.01, args: ['--dim', 's33=1..1'], only: 'webgl',
    shapes: [{ input_ids: [1, 1] }, { input_ids: [1, 9] }, { input_ids: [1, 1] }],
    refused: { shapes: [[2, 4]], error: /input 'input_ids' has shape \[2,4\]/ } },
  // A size found at run time after a free dimension: the GPU part generated per number of boxes,
  // its wasm tail planned per number kept (tail.mjs).
  { m: () => model('op_NonMaxSuppression_free_boxes'),
    shapes: [{ boxes: [1, 7, 4], scores: [1, 2, 7] }, { boxes: [1, 30, 4], scores: [1, 2, 30] }, { boxes: [1, 7, 4], scores: [1, 2, 7] }] },
  { m: () => models2('deeplabv3_mobilenet_v3_dynhw'), weights: 1.01, only: 'webgpu',
    shapes: [{ x: [1, 3, 50, 38] }, { x: [1, 3, 33, 45] }, { x: [1, 3, 50, 38] }] },
];

let refs;
const use = usePage({
  async setup() {
    if (missing) return;
    refs = [];
    for (const c of CASES) {
      if (c.only && c.only !== backend) {
        refs.push(null);
        continue;
      }
      const m = c.m();
      const dir = convertedFreeGpu(m, c.args);
      const byShape = new Map();
      for (const s of c.shapes) {
        const key = JSON.stringify(s);
        if (!byShape.has(key)) byShape.set(key, await reference({ ...m, shapes: s }));
      }
      refs.push({ url: `/models/${path.basename(dir)}`, refs: c.shapes.map((s) => byShape.get(JSON.stringify(s))) });
    }
  },
});

CASES.forEach((c, index) => {
  const name = c.m().name;
  const skip = missing || (c.only && c.only !== backend && `run on ${c.only} only`);
  test(`${name} on ${backend} at ${c.shapes.map((s) => JSON.stringify(Object.values(s)[0])).join(', ')}`, { skip }, async (t) => {
    const { url, refs: answers } = refs[index];
    const runs = answers.map((r) => r.inputs.map((i) => ({ name: i.name, data: Array.from(i.data, Number), shape: i.shape })));
    const r = await use.page.evaluate(async ({ url, backend, runs, refused }) => {
      const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
      const runner = await WebDNN.load(url, { backendOrder: [backend] });
      const results = [];
      try {
        for (const inputs of runs) {
          for (const i of inputs) runner.inputs.find((x) => x.name === i.name).set(i.data, i.shape);
          const started = performance.now();
          await runner.run();
          const ms = performance.now() - started;
          results.push({ ms, weightBytes: runner.gpuWeightBytes?.(), outputs: Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) }])) });
        }
        let error = null;
        if (refused) {
          const generated = runner.generations.length;
          runner.inputs.forEach((x, k) => x.set(new Array(refused.shapes[k].reduce((a, b) => a * b, 1)).fill(1), refused.shapes[k]));
          error = await runner.run().then(() => 'ran', (e) => e.message);
          if (runner.generations.length !== generated) error += ' (and something was generated)';
        }
        runner.dispose();
        return { backendName: runner.backendName, results, error, generations: runner.generations, disposedBytes: runner.gpuWeightBytes?.() };
      } finally {
        runner.dispose();
      }
    }, { url, backend, runs, refused: c.refused && { shapes: c.refused.shapes } });
    assert.equal(r.backendName, backend);
    const distinct = new Set(c.shapes.map((s) => JSON.stringify(s))).size;
    // The sample shape at load (generated only), then each distinct shape once; the shape that
    // comes back reuses its runner.
    assert.equal(r.generations.length, distinct + 1, JSON.stringify(r.generations.map((g) => g.shapes)));
    for (const g of r.generations) {
      t.diagnostic(`generated ${JSON.stringify(g.shapes)}: ${g.generateMs.toFixed(0)} ms, ` +
        (g.loadMs === null ? 'not loaded (the sample shape, at load)' : `loaded in ${g.loadMs.toFixed(0)} ms, ` +
          `${g.uploadedBytes ?? '?'} bytes of weights uploaded`));
    }
    r.results.forEach(({ ms, outputs }, k) => {
      t.diagnostic(`run at ${JSON.stringify(c.shapes[k])}: ${ms.toFixed(0)} ms`);
      const ref = answers[k];
      for (const [n, o] of Object.entries(ref.outputs)) assert.deepEqual(outputs[n]?.shape, o.shape, `${n} at ${JSON.stringify(c.shapes[k])}`);
      const { problems, lines } = verdict(typedOutputs(outputs), ref, tolerance);
      for (const l of lines) t.diagnostic(`${JSON.stringify(c.shapes[k])}: ${l}`);
      assert.deepEqual(problems, [], `${name} at ${JSON.stringify(c.shapes[k])}`);
    });
    if (c.refused) assert.match(r.error, c.refused.error);
    // The weights on the GPU: those of the first shape, then those the others add (none for
    // digits: without sharing, its 2 runners would hold twice the first one's), none after dispose.
    const held = r.results.map((x) => x.weightBytes);
    t.diagnostic(`weight bytes on the GPU after each run: ${held.join(', ')}`);
    if (c.weights === undefined) return;
    assert.ok(held[0] > 0, `weights on the GPU: ${held}`);
    const all = Math.max(...held);
    assert.ok(all <= held[0] * c.weights, `the shapes share their weights: ${held}`);
    if (c.weights === 1) assert.deepEqual(held, held.map(() => held[0]));
    assert.equal(r.disposedBytes, 0);
  });
});

// The same runner in the WebDNN worker (load option worker: true): shapes travel with each run.
test(`digits_cnn in a worker on ${backend} at [1,1,8,8], [3,1,8,8]`, { skip: missing }, async () => {
  const { url, refs: answers } = refs[0];
  const runs = answers.slice(0, 2).map((r) => ({ data: Array.from(r.inputs[0].data), shape: r.inputs[0].shape }));
  const r = await use.page.evaluate(async ({ url, backend, runs }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const runner = await WebDNN.load(url, { backendOrder: [backend], worker: true });
    try {
      const results = [];
      for (const { data, shape } of runs) {
        runner.inputs[0].set(data, shape);
        await runner.run();
        const o = runner.outputs[0];
        results.push({ [o.name]: { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) } });
      }
      return { worker: runner.worker, backendName: runner.backendName, results };
    } finally {
      runner.dispose();
    }
  }, { url, backend, runs });
  assert.equal(r.worker, true);
  assert.equal(r.backendName, backend);
  r.results.forEach((outputs, k) => {
    assert.deepEqual(outputs.logits.shape, answers[k].outputs.logits.shape);
    assert.deepEqual(verdict(typedOutputs(outputs), answers[k], tolerance).problems, []);
  });
});

// The runners of the last 4 shapes are kept: batches 1..4, then 1 (kept), 5 (the least recently
// used, 2, goes), then 2 (generated again) and 6, each answer checked. Shaders shared by the
// shapes live while a kept shape's runner uses them: the page holds what 4 shapes need, not what
// 6 did (ref_cache.mjs), and disposing the runner gives back the rest. One test for both, each
// shape costing ~2 s of SwiftShader compilation.
test(`digits_cnn on ${backend}: the last 4 shapes are kept, the shaders of the others given back`, { skip: missing }, async (t) => {
  const BATCHES = [1, 2, 3, 4, 1, 5, 2, 6];
  const m = model('digits_cnn');
  const answers = {};
  for (const n of new Set(BATCHES)) answers[n] = await reference({ ...m, shapes: { image: [n, 1, 8, 8] } });
  const runs = BATCHES.map((n) => ({ data: Array.from(answers[n].inputs[0].data), shape: answers[n].inputs[0].shape }));
  const r = await use.page.evaluate(async ({ url, backend, runs }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const runner = await WebDNN.load(url, { backendOrder: [backend] });
    const results = [];
    for (const { data, shape } of runs) {
      runner.inputs[0].set(data, shape);
      await runner.run();
      const o = runner.outputs[0];
      results.push({ generated: runner.generations.length, kept: runner.keptShaders(), weights: runner.gpuWeightBytes(),
        outputs: { [o.name]: { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) } } });
    }
    runner.dispose();
    return { results, uploaded: runner.generations.slice(1).map((g) => g.uploadedBytes), after: runner.keptShaders(),
      weightsAfter: runner.gpuWeightBytes() };
  }, { url: refs[0].url, backend, runs });
  const kept = r.results.map((x) => x.kept), weights = r.results.map((x) => x.weights);
  t.diagnostic(`shaders kept after batches ${BATCHES.join(', ')}: ${kept.join(', ')}`);
  t.diagnostic(`weight bytes on the GPU: ${weights.join(', ')}; uploaded per shape: ${r.uploaded.join(', ')}`);
  // The sample shape at load, then one generation per run but for the run at batch 1 again.
  assert.deepEqual(r.results.map((x) => x.generated), [2, 3, 4, 5, 5, 6, 7, 8]);
  r.results.forEach(({ outputs }, k) => {
    assert.deepEqual(verdict(typedOutputs(outputs), answers[BATCHES[k]], tolerance).problems, [], `batch ${BATCHES[k]}`);
  });
  assert.ok(kept[3] > kept[0], `new shapes add shaders: ${kept}`);
  assert.ok(Math.max(...kept.slice(4)) <= kept[3], `no more than 4 shapes' worth: ${kept}`);
  assert.equal(r.after, 0);
  // The weights: uploaded by the first shape only, held once for all (4 kept at a time).
  assert.ok(weights[0] > 0);
  assert.deepEqual(weights, weights.map(() => weights[0]));
  assert.deepEqual(r.uploaded, r.uploaded.map((_, k) => (k ? 0 : weights[0])));
  assert.equal(r.weightsAfter, 0);
});
