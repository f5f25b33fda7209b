// Chromium's WebAssembly has relaxed SIMD (Node.js 20, which runs the js.* tests, has it only
// behind a flag; the native tests run no WebAssembly): here the wasm backend runs the runtime
// build whose products and polynomials use its fused multiply-add (backend_wasm.mjs). Every
// per-op model on that build against onnxruntime; `wasmRelaxedSimd: false` takes the plain SIMD
// build (made from the same link by runtime/wasm/relaxed_simd.mjs), also against onnxruntime.
// WEBDNN_TEST_MODELS=name,... picks some ('ops': every per-op model).
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import { ownNames } from '../js/support.mjs';
import { selected } from '../js/variants.mjs';
import { checkModel, usePage } from './site.mjs';

const ops = ownNames('ops');
const names = selected(ops, undefined, { ops });
const use = usePage();
const WASM = { backendOrder: ['wasm'], numThreads: 1 };

describe('the plain SIMD build where asked (wasmRelaxedSimd: false)', () => checkModel(use, 'op_Gemm',
  { ...WASM, wasmRelaxedSimd: false }, (ours) => {
    assert.equal(ours.backendName, 'wasm');
    assert.equal(ours.relaxedSimd, false);
  }));

describe('per-op models on the relaxed build', () => names.forEach((name) => checkModel(use, name, WASM, (ours) => {
  assert.equal(ours.backendName, 'wasm');
  assert.equal(ours.relaxedSimd, true, 'Chromium has relaxed SIMD: the relaxed build should run');
})));
