// A model converted with its free dimensions kept, in Chromium: digits_cnn on wasm, the fallback
// and wasm in a worker, at batch 1, then 3, then 1 again, through inputs[i].set(values, shape);
// answers from onnxruntime-node at each batch; a shape the model does not take is refused by run().
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { convertedFree, model, reference, sharedMissing, verdict } from '../js/support.mjs';
import { typedOutputs, usePage } from './site.mjs';

const missing = sharedMissing();
const BATCHES = [1, 3, 1];
let refs;
const use = usePage({
  async setup() {
    if (missing) return;
    convertedFree(model('digits_cnn'));
    refs = [];
    for (const n of BATCHES) refs.push(await reference({ ...model('digits_cnn'), shapes: { image: [n, 1, 8, 8] } }));
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
