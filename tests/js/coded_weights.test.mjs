// Weights files in their compact forms (docs/descriptor.md, weights.encoded) loaded by the
// JavaScript runtime: digits_cnn (real trained weights) converted with each --weights coding
// still classifies its 20 labelled samples right on wasm and the fallback, and the float32
// conversion (Conv weights packed at load) matches onnxruntime-node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { argmaxRows } from '../e2e/compare.mjs';
import { readNpy } from '../e2e/npy.mjs';
import { CONVERTED, CONVERT, SHARED, importWebDNN, model, onnxFile, publish, newer, run, sharedMissing } from './support.mjs';

const missing = sharedMissing();
describe('digits_cnn with coded weights', { skip: missing }, () => {
  let WebDNN, onnx, x, labels;
  before(async () => {
    WebDNN = await importWebDNN();
    onnx = onnxFile(model('digits_cnn'));
    x = readNpy(path.join(SHARED, 'models/digits_samples_x.npy'));
    labels = readNpy(path.join(SHARED, 'models/digits_samples_y.npy'));
  });
  for (const coding of ['fp32', 'fp16', 'int8', 'int4']) {
    for (const backend of ['wasm', 'fallback']) {
      test(`${coding} on ${backend}: the 20 samples classified right`, async () => {
        const dir = path.join(CONVERTED, `digits_cnn.${coding}`);
        publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
          (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--weights', coding]));
        const descriptor = JSON.parse(fs.readFileSync(path.join(dir, 'graph-wasm.json'), 'utf8'));
        assert.ok(descriptor.weights.encoded, 'its weights file is coded');
        const runner = await WebDNN.load(dir, { backendOrder: [backend] });
        try {
          runner.inputs[0].set(x.data, x.shape);
          await runner.run();
          const out = runner.outputs[0];
          assert.equal(out.shape[0], labels.data.length);
          assert.deepEqual(argmaxRows(out.toActual(), out.shape), Array.from(labels.data, Number), 'each sample\'s class');
        } finally {
          runner.dispose();
        }
      });
    }
  }
});
