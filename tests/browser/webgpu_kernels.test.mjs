// The WebGPU kernels' fast paths and edges (webgpu_kernel_models.py: tile edges of the matrix
// products, every kind of convolution, looped pooling windows, workgroup-per-row reductions,
// more inputs than a dispatch binds, a weight split under a small binding limit) in Chromium,
// each with both kernel sets of the descriptor: the one for SwiftShader ('cpu', which the runner
// picks here) and the one for GPUs ('gpu': workgroup memory and barriers), against
// onnxruntime-node on the same seeded inputs, within 1e-3 * max|ref| + 1e-4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { BUILD, CONVERT, CONVERTED_GPU, ort, verdict } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';
import { startSite } from './site.mjs';
import { runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'webgpu_kernel_models.py');
const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';
const MODELS = path.join(BUILD, 'tests/js/webgpu-kernel-models');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

const fresh = (file, than) => fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(than).mtimeMs;
if (!fresh(path.join(MODELS, 'models.json'), SCRIPT)) run(PYTHON, [SCRIPT, MODELS]);
const index = JSON.parse(fs.readFileSync(path.join(MODELS, 'models.json'), 'utf8'));

// Seeded uniform numbers in [-1, 1).
function seeded(n, seed) {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s / 4294967296) * 2 - 1;
  });
}

let browser, site, page;
before(async () => {
  [browser, site] = await Promise.all([launch(), startSite()]);
  page = await openPage(browser, `${site.plain.url}/index.html`);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

for (const [name, meta] of Object.entries(index)) {
  describe(name, () => {
    let ref;
    const dir = path.join(CONVERTED_GPU, `kernel_${name}`);
    before(async () => {
      const onnx = path.join(MODELS, `${name}.onnx`);
      if (!fresh(path.join(dir, 'manifest.json'), CONVERT) || !fresh(path.join(dir, 'manifest.json'), onnx)) {
        fs.rmSync(dir, { recursive: true, force: true });
        run(CONVERT, [onnx, '-o', dir, '--backend', 'webgpu'],
          meta.max_binding ? { WEBDNN_WEBGPU_MAX_BINDING: String(meta.max_binding) } : {});
      }
      const inputs = meta.inputs.map((i, k) => ({ name: i.name, type: 'float32', shape: i.shape,
        data: seeded(i.shape.reduce((a, b) => a * b, 1), 7 + k * 101) }));
      const session = await ort.InferenceSession.create(onnx);
      const result = await session.run(Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.data, i.shape)])));
      ref = { inputs, outputs: Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, shape: [...result[n].dims], data: result[n].data }])) };
      await session.release();
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
    for (const kernels of ['cpu', 'gpu']) {
      test(`${kernels} kernels`, async (t) => {
        const ours = await runWebGpu(page, `/models-gpu/kernel_${name}`, { backendOrder: ['webgpu'], webgpuKernels: kernels }, ref.inputs);
        assert.equal(ours.backendName, 'webgpu');
        assert.equal(ours.kernels, kernels);
        assert.equal(ours.runError, null);
        const { problems, lines } = verdict(ours.outputs, ref, WEBGPU_TOLERANCE);
        for (const l of lines) t.diagnostic(l);
        assert.deepEqual(problems, [], `${name} on webgpu (${kernels} kernels) disagrees with onnxruntime:\n${problems.join('\n')}`);
      });
    }
  });
}
