// A model converted with its free dimensions kept, in Chromium: digits_cnn on wasm, the fallback
// and wasm in a worker, at batch 1, then 3, then 1 again, through inputs[i].set(values, shape);
// answers from onnxruntime-node at each batch; a shape the model does not take is refused by run().
// Then the models of ../shared/models2 with free dimensions at two shapes each, on wasm, and BERT
// on the fallback too (the fallback plans shapes with the same C++ as wasm: GPT-2 and DeepLab there
// took 21 s of CI's two cores and told nothing more; on the GPU backends: gpu_free_dims.test.mjs;
// natively: tests/e2e).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { convertedFree, model, reference, SHARED, sharedMissing, verdict } from '../js/support.mjs';
import { runAtShapes, typedOutputs, usePage } from './site.mjs';

const missing = sharedMissing();
const BATCHES = [1, 3, 1];
let refs;

const models2 = (name, ranges = {}) => ({ name, source: path.join(SHARED, 'models2', `${name}.onnx`), shared: true, shapes: {}, ranges });
const MODELS2 = [
  { m: models2('bert_tiny_dyn', { input_ids: [0, 30522], attention_mask: [1, 2] }), fallback: true,
    shapes: [{ input_ids: [1, 5], attention_mask: [1, 5] }, { input_ids: [2, 3], attention_mask: [2, 3] }] },
  // Its exporter wrote reshapes to batch 1: the batch s33 is pinned by a one-value range.
  { m: models2('gpt2_tiny_dyn', { input_ids: [0, 50257] }), args: ['--dim', 's33=1..1'],
    shapes: [{ input_ids: [1, 1] }, { input_ids: [1, 9] }] },
  { m: models2('deeplabv3_mobilenet_v3_dynhw'), shapes: [{ x: [1, 3, 50, 38] }, { x: [1, 3, 33, 45] }] },
];
const refs2 = [];
const use = usePage({
  async setup() {
    if (missing) return;
    convertedFree(model('digits_cnn'));
    refs = [];
    for (const n of BATCHES) refs.push(await reference({ ...model('digits_cnn'), shapes: { image: [n, 1, 8, 8] } }));
    for (const c of MODELS2) {
      const url = `/models/${path.basename(convertedFree(c.m, c.args))}`;
      const answers = [];
      for (const s of c.shapes) answers.push(await reference({ ...c.m, shapes: s }));
      refs2.push({ url, answers });
    }
  },
});

for (const [name, options] of [['wasm', { backendOrder: ['wasm'] }], ['fallback', { backendOrder: ['fallback'] }],
  ['wasm in a worker', { backendOrder: ['wasm'], worker: true }]]) {
  test(`digits_cnn at batches ${BATCHES} on ${name}`, { skip: missing }, async () => {
    const runs = refs.map((r) => ({ data: Array.from(r.inputs[0].data), shape: r.inputs[0].shape }));
    const r = await use.page.evaluate(async ({ options, runs }) => {
      const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
      const runner = await WebDNN.load('/models/digits_cnn.free', options);
      const results = [];
      try {
        for (const { data, shape } of runs) {
          runner.inputs[0].set(data, shape);
          await runner.run();
          const o = runner.outputs[0];
          results.push({ [o.name]: { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) } });
        }
        runner.inputs[0].set(new Array(2 * 81).fill(0), [2, 1, 9, 9]);
        const refused = await runner.run().then(() => 'ran', (e) => e.message);
        return { backendName: runner.backendName, results, refused };
      } finally {
        runner.dispose();
      }
    }, { options, runs });
    assert.equal(r.backendName, options.backendOrder[0]);
    r.results.forEach((outputs, k) => {
      const { problems } = verdict(typedOutputs(outputs), refs[k]);
      assert.deepEqual(problems, [], `batch ${BATCHES[k]}`);
    });
    assert.match(r.refused, /input 'image' has shape \[2,1,9,9\]: axis 2 is 9 where the model takes 8/);
  });
}

MODELS2.forEach((c, index) => {
  for (const backend of c.fallback ? ['wasm', 'fallback'] : ['wasm']) {
    test(`${c.m.name} on ${backend} at ${c.shapes.map((s) => JSON.stringify(Object.values(s)[0])).join(', ')}`, { skip: missing }, async () => {
      const { url, answers } = refs2[index];
      const r = await runAtShapes(use.page, url, { backendOrder: [backend] }, answers);
      assert.equal(r.backendName, backend);
      r.results.forEach(({ outputs }, k) => {
        const at = JSON.stringify(c.shapes[k]);
        for (const [n, o] of Object.entries(answers[k].outputs)) assert.deepEqual(outputs[n]?.shape, o.shape, `${n} at ${at}`);
        assert.deepEqual(verdict(outputs, answers[k]).problems, [], `${c.m.name} at ${at}`);
      });
    });
  }
});
