// Weights files in their compact forms (webdnn-convert --weights; docs/descriptor.md,
// weights.encoded) on the GPU backends in Chromium (SwiftShader): digits_cnn (real trained
// weights, a free batch dimension: the page's generator specializes it) converted for webgpu and
// webgl with int8 and fp16 weights classifies its 20 labelled samples right on each; the weights
// go through the runtime's own loader, which expands them before the backend uploads them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { argmaxRows } from '../e2e/compare.mjs';
import { readNpy } from '../e2e/npy.mjs';
import { CONVERTED, CONVERT, SHARED, model, onnxFile, publish, newer, run, sharedMissing } from '../js/support.mjs';
import { usePage } from './site.mjs';

const missing = sharedMissing();
let x, labels;
const use = usePage({
  async setup() {
    if (missing) return;
    x = readNpy(path.join(SHARED, 'models/digits_samples_x.npy'));
    labels = readNpy(path.join(SHARED, 'models/digits_samples_y.npy'));
  },
});

for (const coding of ['int8', 'fp16']) {
  for (const backend of ['webgpu', 'webgl']) {
    test(`digits_cnn with ${coding} weights on ${backend}: the 20 samples classified right`, { skip: missing }, async () => {
      const onnx = onnxFile(model('digits_cnn'));
      const name = `digits_cnn.gpu-${coding}`;
      const dir = path.join(CONVERTED, name);
      publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
        (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', 'webgpu,webgl', '--weights', coding]));
      const descriptor = JSON.parse(fs.readFileSync(path.join(dir, `graph-${backend}.json`), 'utf8'));
      assert.ok(descriptor.weights.encoded, 'its weights file is coded');
      const r = await use.page.evaluate(async ({ url, backend, data, shape }) => {
        const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
        const runner = await WebDNN.load(url, { backendOrder: [backend] });
        try {
          runner.inputs[0].set(data, shape);
          await runner.run();
          const out = runner.outputs[0];
          return { backendName: runner.backendName, shape: out.shape, data: Array.from(out.toActual()) };
        } finally {
          runner.dispose();
        }
      }, { url: `/models/${name}`, backend, data: Array.from(x.data), shape: x.shape });
      assert.equal(r.backendName, backend);
      assert.equal(r.shape[0], labels.data.length);
      assert.deepEqual(argmaxRows(r.data, r.shape), Array.from(labels.data, Number), 'each sample\'s class');
    });
  }
}
