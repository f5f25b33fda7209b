// The webgpu backend on a second WebGPU implementation: Dawn in Node.js (the npm package `webgpu`
// of bench/gpu) on Mesa's lavapipe (Vulkan on the CPU, from bookworm-backports: scripts/setup.sh),
// whose adapter differs from Chromium's SwiftShader where real GPUs do too: subgroups of 8, not 4,
// and shader-f16. The WebGPU kernel models (tests/browser/webgpu_kernel_models.py) that have
// subgroups variants or integer products run with the GPU kernels, the subgroups variants and
// dot4I8Packed, against onnxruntime-node within the GPU tolerance. Skipped where there is no such
// adapter, except under CI, which installs it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openDawn } from '../../bench/gpu/dawn.mjs';
import { CONVERTED_GPU, importWebDNN, isCI, REPO, verdict } from '../js/support.mjs';
import { convertKernelModel, kernelModels, kernelReference } from './kernel_models.mjs';
import { WEBGPU_TOLERANCE } from './webgpu_support.mjs';

async function lavapipe() {
  const dawn = await openDawn(path.join(REPO, 'bench/gpu/node_modules/webgpu'));
  if (dawn.skip) return { skip: dawn.skip };
  const adapter = await dawn.gpu.requestAdapter();
  const name = `${adapter?.info?.description ?? ''} ${adapter?.info?.architecture ?? ''}`;
  if (!adapter || !/llvmpipe|lavapipe/i.test(name)) {
    dawn.release();
    return { skip: `no lavapipe adapter (got: ${adapter ? name : 'none'})` };
  }
  return { adapter, release: dawn.release };
}

const found = await lavapipe();
if (found.skip && isCI()) throw new Error(`webgpu_lavapipe: ${found.skip}; CI installs Mesa's lavapipe and bench/gpu's npm package (scripts/setup.sh)`);

describe('lavapipe adapter', { skip: found.skip }, () => {
  test('has subgroups, shader-f16 and timestamp-query', () => {
    for (const f of ['subgroups', 'shader-f16', 'timestamp-query']) assert.ok(found.adapter.features.has(f), f);
  });
});

const { dir: MODELS, index } = kernelModels('webgpu');
let WebDNN;
before(async () => { WebDNN = await importWebDNN(); });
after(() => found.release?.());

// Where this adapter differs from SwiftShader's: the models whose kernels have subgroups variants
// or integer products (dot4I8Packed); the others tell nothing new for their time (lavapipe compiles
// a pipeline in about a second).
const dirOf = (name) => path.join(CONVERTED_GPU, `kernel_${name}`);
const chosen = found.skip ? [] : Object.entries(index).filter(([name, meta]) => {
  convertKernelModel(path.join(MODELS, `${name}.onnx`), dirOf(name), 'webgpu',
    { ...(meta.max_binding ? { WEBDNN_WEBGPU_MAX_BINDING: String(meta.max_binding) } : {}), ...meta.env });
  const d = JSON.parse(fs.readFileSync(path.join(dirOf(name), 'graph-webgpu.json'), 'utf8'));
  return meta.packed_dot || d.dispatches.some((x) => x.subgroups);
});
if (!found.skip) test('some models have subgroups variants and integer products', () => {
  assert.ok(chosen.some(([, meta]) => meta.packed_dot) && chosen.some(([, meta]) => !meta.packed_dot), chosen.map(([n]) => n).join(', '));
});

for (const [name, meta] of chosen) {
  test(`${name}: gpu kernels with subgroups${meta.packed_dot ? ' and dot4I8Packed' : ''}`, async (t) => {
    const onnx = path.join(MODELS, `${name}.onnx`);
    const ref = await kernelReference(onnx, meta);
    const runner = await WebDNN.load(dirOf(name), { backendOrder: ['webgpu'], webgpuKernels: 'gpu' });
    try {
      assert.equal(runner.backendName, 'webgpu');
      assert.equal(runner.subgroups, true);
      if (meta.packed_dot) assert.equal(runner.packedDot, true, 'dot4I8Packed');
      for (const i of ref.inputs) runner.inputs.find((v) => v.name === i.name).set(i.data);
      await runner.run();
      const outputs = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.declaredType, shape: o.shape, data: o.toActual() }]));
      const { problems, lines } = verdict(outputs, ref, WEBGPU_TOLERANCE);
      for (const l of lines) t.diagnostic(l);
      assert.deepEqual(problems, [], `${name} on lavapipe disagrees with onnxruntime:\n${problems.join('\n')}`);
    } finally {
      runner.dispose();
    }
  });
}
