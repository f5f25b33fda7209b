// The WebGL kernels' fast paths and edges (webgl_kernel_models.py: convolutions of every shape
// class the image layout meets, ConvTranspose, more inputs than a draw samples, image <-> flat
// layout changes) in Chromium, against onnxruntime-node on the same seeded inputs, within
// 1e-3 * max|ref| + 1e-4.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { CONVERTED_WEBGL, verdict } from '../js/support.mjs';
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
    const { problems, lines } = verdict(ours.outputs, ref, WEBGL_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on webgl disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}
