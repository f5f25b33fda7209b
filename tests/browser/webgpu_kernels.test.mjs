// The WebGPU kernels' fast paths and edges (webgpu_kernel_models.py: tile edges of the matrix
// products, every kind of convolution, looped pooling windows, workgroup-per-row reductions,
// more inputs than a dispatch binds, a weight split under a small binding limit, fused attention) in Chromium,
// each with both kernel sets of the descriptor: the one for SwiftShader ('cpu', which the runner
// picks here) and the one for GPUs ('gpu': workgroup memory and barriers, and again with the
// subgroups variants of its row and reduction kernels), against
// onnxruntime-node on the same seeded inputs, within 1e-3 * max|ref| + 1e-4.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { CONVERTED_GPU, verdict } from '../js/support.mjs';
import { convertKernelModel, kernelModels, kernelReference } from './kernel_models.mjs';
import { usePage } from './site.mjs';
import { runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const { dir: MODELS, index } = kernelModels('webgpu');
const use = usePage();

for (const [name, meta] of Object.entries(index)) {
  describe(name, () => {
    let ref;
    const dir = path.join(CONVERTED_GPU, `kernel_${name}`);
    before(async () => {
      const onnx = path.join(MODELS, `${name}.onnx`);
      convertKernelModel(onnx, dir, 'webgpu', { ...(meta.max_binding ? { WEBDNN_WEBGPU_MAX_BINDING: String(meta.max_binding) } : {}), ...meta.env });
      ref = await kernelReference(onnx, meta);
    });
    if (meta.max_binding) {
      test(`bindings within ${meta.max_binding} bytes`, () => {
        const d = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));
        assert.equal(d.max_binding, meta.max_binding);
        for (const b of d.buffers) assert.ok(b.bytes <= meta.max_binding, `buffer ${b.name}: ${b.bytes} bytes`);
        for (const x of d.dispatches) for (const [, , size] of x.bindings) assert.ok(size <= meta.max_binding, x.op);
        assert.ok(d.dispatches.filter((x) => x.op.includes(':part')).length > 1, 'the weight is split');
      });
    }
    if (meta.dispatches) {
      test(`runs ${meta.dispatches}`, () => {
        const d = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));
        assert.ok(d.dispatches.some((x) => x.type === meta.dispatches), d.dispatches.map((x) => x.type).join(', '));
      });
    }
    if (meta.packed_dot) {
      test('runs its products in integers', () => {
        const d = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));
        const products = d.dispatches.filter((x) => ['Conv', 'MatMul', 'Gemm'].includes(x.type));
        assert.ok(products.length > 0 && products.every((x) => x.packed_dot?.cpu), products.map((x) => x.op).join(', '));
      });
    }
    // The GPU kernels twice: with their subgroups variants (SwiftShader has 'subgroups', in
    // subgroups of 4) and without. Integer products with and without dot4I8Packed (where this
    // browser's WGSL has it).
    const sets = [['cpu', false], ['gpu', false], ['gpu', true]].map(([k, s]) => [k, s, true]);
    if (meta.packed_dot) sets.push(['cpu', false, false], ['gpu', false, false]);
    for (const [kernels, subgroups, packedDot] of sets) {
      test(`${kernels} kernels${subgroups ? ' with subgroups' : ''}${packedDot ? '' : ' without dot4I8Packed'}`, async (t) => {
        if (subgroups) {
          const d = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));
          if (!d.dispatches.some((x) => x.subgroups)) return t.skip('no kernel of this model has a subgroups variant');
        }
        const options = { backendOrder: ['webgpu'], webgpuKernels: kernels, webgpuSubgroups: subgroups, webgpuPackedDot: packedDot };
        const ours = await runWebGpu(use.page, `/models-gpu/kernel_${name}`, options, ref.inputs);
        assert.equal(ours.backendName, 'webgpu');
        assert.equal(ours.kernels, kernels);
        assert.equal(ours.subgroups, subgroups);
        if (!packedDot) assert.equal(ours.packedDot, false);
        else if (meta.packed_dot) t.diagnostic(`dot4I8Packed: ${ours.packedDot}`);
        assert.equal(ours.runError, null);
        const { problems, lines } = verdict(ours.outputs, ref, WEBGPU_TOLERANCE);
        for (const l of lines) t.diagnostic(l);
        assert.deepEqual(problems, [], `${name} on webgpu (${kernels} kernels) disagrees with onnxruntime:\n${problems.join('\n')}`);
      });
    }
  });
}
