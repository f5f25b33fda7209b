// The quantized models of ../shared/models2 in headless Chromium on one backend
// (WEBDNN_TEST_BACKEND: wasm, fallback (a page without WebAssembly), webgpu or webgl;
// WEBDNN_TEST_MODELS=name,... picks some), against onnxruntime-node on the same inputs:
//   mobilenet_v3_small.qdq  static int8 QDQ: its quantized output within 4 steps (as
//                           e2e.shared.mobilenet_v3_small.qdq; the diagnostics say how far
//                           onnxruntime's own integer kernels are from its float path)
//   bert_tiny_dyn.dynint8   DynamicQuantizeLinear + MatMulInteger, converted with its free
//                           dimensions and run at two shapes, within 1/255 of its output's
//                           largest magnitude (one 8-bit step of an activation near a tie)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { converted, convertedFree, convertedFreeGpu, convertedWebGl, onnxFile, ort, PYTHON, reference, REPO, SHARED,
  sharedMissing, verdict } from '../js/support.mjs';
import { selected } from '../js/variants.mjs';
import { runAtShapes, usePage } from './site.mjs';

const backend = process.env.WEBDNN_TEST_BACKEND;
const GPU = { webgpu: { rel: 1e-3, abs: 1e-4 }, webgl: { rel: 1e-3, abs: 1e-4 } };
if (!['wasm', 'fallback', 'webgpu', 'webgl'].includes(backend)) throw new Error(`WEBDNN_TEST_BACKEND must be wasm, fallback, webgpu or webgl, not '${backend}'`);
const missing = sharedMissing();

const STEPS = 4;  // quantization steps a quantized output may be off (see tests/e2e/CMakeLists.txt)
const models2 = (name, ranges = {}) => ({ name, source: path.join(SHARED, 'models2', `${name}.onnx`), shared: true, shapes: {}, ranges });
const CASES = [
  { m: () => models2('mobilenet_v3_small.qdq', { x: [-2, 2] }), quantized: true, shapes: [{}] },
  { m: () => models2('bert_tiny_dyn.dynint8', { input_ids: [0, 30522], attention_mask: [1, 2] }), free: true,
    shapes: [{ input_ids: [1, 5], attention_mask: [1, 5] }, { input_ids: [2, 16], attention_mask: [2, 16] }] },
];
const names = selected(CASES.map((c) => c.m().name));
const cases = CASES.filter((c) => names.includes(c.m().name));

// Where the page finds the model converted for this backend.
function convertedFor(c) {
  const m = c.m();
  if (c.free) {
    const dir = backend === 'wasm' || backend === 'fallback' ? convertedFree(m) : convertedFreeGpu(m);
    return `/models/${path.basename(dir)}`;
  }
  if (backend === 'webgpu') return `/models-gpu/${path.basename(converted(m, { gpu: true }))}`;
  if (backend === 'webgl') return `/models-webgl/${path.basename(convertedWebGl(m))}`;
  return `/models/${path.basename(converted(m))}`;
}

// Each quantized output's step, and how many steps onnxruntime's integer kernels (its default
// optimization, which fuses QDQ) are from its float path there.
async function quantizedOutputs(m, ref) {
  const r = spawnSync(PYTHON, [path.join(REPO, 'tests/e2e/output_steps.py'), onnxFile(m)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const steps = JSON.parse(r.stdout);
  const session = await ort.InferenceSession.create(onnxFile(m), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const out = await session.run(Object.fromEntries(ref.inputs.map((i) => [i.name, new ort.Tensor(i.type, i.data, i.shape)])));
  await session.release();
  return Object.fromEntries(Object.entries(steps).map(([name, step]) => {
    let most = 0;
    for (let i = 0; i < out[name].data.length; i++) most = Math.max(most, Math.round(Math.abs(out[name].data[i] - ref.outputs[name].data[i]) / step));
    return [name, { step, own: most }];
  }));
}

const use = usePage({ noWasm: backend === 'fallback' });

for (const c of cases) {
  const name = c.m().name;
  test(`${name} on ${backend}`, { skip: missing }, async (t) => {
    const m = c.m();
    const url = convertedFor(c);
    const refs = [];
    for (const s of c.shapes) refs.push(await reference({ ...m, shapes: s }));
    const r = await runAtShapes(use.page, url, { backendOrder: [backend] }, refs);
    assert.equal(r.backendName, backend);
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k], at = JSON.stringify(Object.values(ref.inputs.map((i) => i.shape)));
      t.diagnostic(`run at ${at}: ${r.results[k].ms.toFixed(0)} ms`);
      const ours = r.results[k].outputs;
      const problems = [];
      if (c.quantized) {
        for (const [n, { step, own }] of Object.entries(await quantizedOutputs(m, ref))) {
          const tolerance = { rel: 0, abs: (STEPS + 0.5) * step, gap: (STEPS + 0.5) * step };
          const v = verdict({ [n]: ours[n] }, { outputs: { [n]: ref.outputs[n] } }, tolerance);
          v.lines.forEach((l) => t.diagnostic(`${l} (${STEPS} steps of ${step.toExponential(3)} allowed; ` +
            `onnxruntime's integer kernels: ${own} off its float path)`));
          problems.push(...v.problems);
        }
      } else {
        const v = verdict(ours, ref, { rel: 1 / 255, abs: GPU[backend]?.abs ?? 1e-5 });
        v.lines.forEach((l) => t.diagnostic(`${at}: ${l}`));
        problems.push(...v.problems);
      }
      assert.deepEqual(problems, [], `${name} at ${at} on ${backend} disagrees with onnxruntime:\n${problems.join('\n')}`);
    }
  });
}
