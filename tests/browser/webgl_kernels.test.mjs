// The WebGL kernels' fast paths and edges (webgl_kernel_models.py: convolutions of every shape
// class the image layout meets, ConvTranspose, more inputs than a draw samples, image <-> flat
// layout changes) in Chromium, against onnxruntime-node on the same seeded inputs, within
// 1e-3 * max|ref| + 1e-4. MaxPool, ReduceMax and ReduceMin keep NaN as the reference kernels do
// (NaN wins wherever it stands; onnxruntime keeps it only where it comes first in its window).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { CONVERTED_WEBGL, ort, verdict } from '../js/support.mjs';
import { convertKernelModel, kernelModels, kernelReference } from './kernel_models.mjs';
import { usePage } from './site.mjs';
import { runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';

const { dir: MODELS, index } = kernelModels('webgl');
const use = usePage();

for (const [name, meta] of Object.entries(index)) {
  test(name, async (t) => {
    const onnx = path.join(MODELS, `${name}.onnx`);
    convertKernelModel(onnx, path.join(CONVERTED_WEBGL, `kernel_${name}`), 'webgl');
    const ref = await kernelReference(onnx, meta);
    const ours = await runWebGl(use.page, `/models-webgl/kernel_${name}`, { backendOrder: ['webgl'] }, ref.inputs);
    assert.equal(ours.backendName, 'webgl');
    assert.equal(ours.runError, null);
    if (meta.draws) {
      const d = JSON.parse(fs.readFileSync(path.join(CONVERTED_WEBGL, `kernel_${name}`, 'graph-webgl.json'), 'utf8'));
      assert.equal(d.draws.length, meta.draws, d.draws.map((x) => x.op).join(', '));
    }
    const { problems, lines } = verdict(ours.outputs, ref, WEBGL_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on webgl disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}

test('MaxPool, ReduceMax and ReduceMin keep NaN', async (t) => {
  const name = 'max_min_nan';
  const onnx = path.join(MODELS, `${name}.onnx`);
  convertKernelModel(onnx, path.join(CONVERTED_WEBGL, `kernel_${name}`), 'webgl');
  const ref = await kernelReference(onnx, index[name]);
  // x [1, 8, 9, 10]: NaN at (c, h, w), none the first element of a window or of a reduction.
  const [C, H, W] = [8, 9, 10];
  const nans = [[2, 4, 5], [5, 0, 9], [7, 8, 0]];
  const x = ref.inputs[0];
  for (const [c, h, w] of nans) x.data[(c * H + h) * W + w] = NaN;
  // onnxruntime on the same input, then NaN wherever a window or reduction holds one.
  const session = await ort.InferenceSession.create(onnx);
  const result = await session.run({ x: new ort.Tensor('float32', x.data, x.shape) });
  await session.release();
  const expected = { inputs: ref.inputs, outputs: {} };
  for (const n of ['p', 'c', 's']) expected.outputs[n] = { type: 'float32', shape: [...result[n].dims], data: result[n].data.slice() };
  const set = (n, i) => { expected.outputs[n].data[i] = NaN; };
  for (const [c, h, w] of nans) {
    for (let oh = 0; oh < 5; oh++) {
      for (let ow = 0; ow < 5; ow++) {
        if (Math.abs(2 * oh - h) <= 1 && Math.abs(2 * ow - w) <= 1) set('p', (c * 5 + oh) * 5 + ow);
      }
    }
    set('c', h * W + w);
    set('s', c);
  }
  const ours = await runWebGl(use.page, `/models-webgl/kernel_${name}`, { backendOrder: ['webgl'] }, [x]);
  assert.equal(ours.runError, null);
  const { problems, lines } = verdict(ours.outputs, expected, WEBGL_TOLERANCE);
  for (const l of lines) t.diagnostic(l);
  assert.deepEqual(problems, []);
  for (const n of ['p', 'c', 's']) {
    const count = Array.from(ours.outputs[n].data).filter(Number.isNaN).length;
    t.diagnostic(`${n}: ${count} NaN`);
  }
});
