// Models converted once with their free dimensions kept, run by the wasm and fallback backends at
// several shapes through `inputs[i].set(values, shape)`, against onnxruntime-node at each shape;
// and the errors a shape the model does not take gets.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { CONVERT, CONVERTED, SHARED, convertedFree, importWebDNN, model, newer, onnxFile, publish, reference, run, sharedMissing, verdict } from './support.mjs';
import { VARIANTS } from './variants.mjs';

const missing = sharedMissing();

// The shapes to run at, in order (a shape comes back to check that its plan is reused), and the
// backend variants (BERT's reference MatMuls would take long in plain JavaScript).
const CASES = {
  digits_cnn: { shapes: [{ image: [1, 1, 8, 8] }, { image: [3, 1, 8, 8] }, { image: [1, 1, 8, 8] }] },
  bert_tiny_dyn: {
    shapes: [{ input_ids: [1, 5], attention_mask: [1, 5] }, { input_ids: [2, 3], attention_mask: [2, 3] }],
    ranges: { input_ids: [0, 30522], attention_mask: [1, 2] },
    models2: true,
    wasmOnly: true,
  },
};

function modelOf(name) {
  const c = CASES[name];
  if (!c.models2) return model(name);
  return { name, source: path.join(SHARED, 'models2', `${name}.onnx`), shared: true, shapes: {}, ranges: c.ranges };
}

for (const [name, { shapes, wasmOnly }] of Object.entries(CASES)) {
  describe(`${name} with free dimensions`, { skip: missing }, () => {
    let dir, refs, WebDNN;
    before(async () => {
      dir = convertedFree(modelOf(name));
      refs = [];
      for (const s of shapes) refs.push(await reference({ ...modelOf(name), shapes: s }));
      WebDNN = await importWebDNN();
    });
    for (const v of VARIANTS.filter((x) => x.threads === 1 && !(wasmOnly && x.backend !== 'wasm'))) {
      test(v.name, async (t) => {
        const runner = await WebDNN.load(dir, v.options);
        try {
          for (const [k, ref] of refs.entries()) {
            for (const input of ref.inputs) runner.inputs.find((x) => x.name === input.name).set(input.data, input.shape);
            await runner.run();
            const ours = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: o.toActual() }]));
            const { problems, lines } = verdict(ours, ref);
            for (const l of lines) t.diagnostic(`${JSON.stringify(shapes[k])}: ${l}`);
            assert.deepEqual(problems, [], `${name} at ${JSON.stringify(shapes[k])} on ${v.name}:\n${problems.join('\n')}`);
          }
        } finally {
          runner.dispose();
        }
      });
    }
  });
}

describe('a shape the model does not take', { skip: missing }, () => {
  test('is refused at run() with the input, the axis and what the model takes', async () => {
    const WebDNN = await importWebDNN();
    const runner = await WebDNN.load(convertedFree(model('digits_cnn')), { backendOrder: ['wasm'], numThreads: 1 });
    try {
      const image = runner.inputs[0];
      image.set(new Float32Array(2 * 9 * 9), [2, 1, 9, 9]);
      await assert.rejects(runner.run(), /input 'image' has shape \[2,1,9,9\]: axis 2 is 9 where the model takes 8/);
      image.set(new Float32Array(2 * 64), [2, 1, 8, 8]);
      await runner.run();
      assert.deepEqual(runner.outputs[0].shape, [2, 10]);
      assert.throws(() => image.set(new Float32Array(3), [1, 2]), /takes 2 values/);
    } finally {
      runner.dispose();
    }
  });

  test('a model of fixed shapes says so', async () => {
    const WebDNN = await importWebDNN();
    const m = model('digits_cnn');
    const dir = path.join(CONVERTED, 'digits_cnn.fixed');
    publish(dir, () => newer(path.join(dir, 'manifest.json'), onnxFile(m), CONVERT),
      (tmp) => run('webdnn-convert', CONVERT, [onnxFile(m), '-o', tmp, '--input-shape', 'image=1,1,8,8']));
    const runner = await WebDNN.load(dir, { backendOrder: ['wasm'], numThreads: 1 });
    try {
      assert.throws(() => runner.inputs[0].set(new Float32Array(128), [2, 1, 8, 8]), /fixed shape \[1,1,8,8\]/);
    } finally {
      runner.dispose();
    }
  });
});
