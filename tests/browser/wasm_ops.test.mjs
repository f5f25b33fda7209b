// Chromium's WebAssembly has relaxed SIMD (Node.js 20, which runs the js.* tests, has it only
// behind a flag; the native tests run no WebAssembly): here the wasm backend runs the runtime
// build whose float products use its fused multiply-add (backend_wasm.mjs). Every per-op model
// on that build against onnxruntime; `wasmRelaxedSimd: false` takes the plain SIMD build.
// WEBDNN_TEST_MODELS=name,... picks some ('ops': every per-op model).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { converted, model, ownNames, reference, verdict } from '../js/support.mjs';
import { selected } from '../js/variants.mjs';
import { checkModel, runInPage, usePage } from './site.mjs';

const ops = ownNames('ops');
const names = selected(ops, undefined, { ops });
const use = usePage();
const WASM = { backendOrder: ['wasm'], numThreads: 1 };

test('wasmRelaxedSimd: false runs the plain SIMD build, with the same answers', async () => {
  const m = model('op_Gemm');
  converted(m);
  const ref = await reference(m);
  const relaxed = await runInPage(use.page, '/models/op_Gemm', WASM, ref.inputs);
  const plain = await runInPage(use.page, '/models/op_Gemm', { ...WASM, wasmRelaxedSimd: false }, ref.inputs);
  assert.equal(relaxed.relaxedSimd, true, 'Chromium has relaxed SIMD: the relaxed build should run');
  assert.equal(plain.relaxedSimd, false);
  for (const r of [relaxed, plain]) assert.deepEqual(verdict(r.outputs, ref).problems, []);
});

describe('per-op models on the relaxed build', () => names.forEach((name) => checkModel(use, name, WASM, (ours) => {
  assert.equal(ours.backendName, 'wasm');
  assert.equal(ours.relaxedSimd, true);
})));
