// A GPU backend in headless Chromium (SwiftShader) against onnxruntime-node run in Node.js on the
// same inputs: max |ours - ref| <= 1e-3 * max |ref| + 1e-4 and the same arg-max.
//   WEBDNN_TEST_BACKEND=webgpu    models converted with --backend webgpu,wasm (converted-gpu)
//   WEBDNN_TEST_BACKEND=webgl     WebGL2, models converted into converted-webgl
//   WEBDNN_TEST_MODELS=ops        every per-op model of tools/make_models.py (one test per op type)
//   WEBDNN_TEST_MODELS=NAME,...   models of ../shared (models2: the fixed-shape float ones) and our own nets
// WEBDNN_WEBGPU_KERNELS=gpu (webgpu only) runs the kernels made for GPUs (workgroup memory)
// instead of those the runner picks for SwiftShader, on the models that have such a kernel (the
// others would run what the run without it ran: they are skipped).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { converted, convertedWebGl, model, MODELS2_FIXED, opTypes, ownNames, reference, sharedMissing, sharedNames, verdict } from '../js/support.mjs';
import { selected, wantedNames } from '../js/variants.mjs';
import { usePage } from './site.mjs';
import { runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';
import { runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const BACKENDS = {
  webgpu: { convert: (m) => converted(m, { gpu: true }), url: '/models-gpu', run: runWebGpu, tolerance: WEBGPU_TOLERANCE },
  webgl: { convert: convertedWebGl, url: '/models-webgl', run: runWebGl, tolerance: WEBGL_TOLERANCE },
};
const backend = process.env.WEBDNN_TEST_BACKEND;
if (!BACKENDS[backend]) throw new Error(`WEBDNN_TEST_BACKEND must be one of ${Object.keys(BACKENDS).join(', ')}, not '${backend}'`);
const { convert, url, run, tolerance } = BACKENDS[backend];
const kernels = process.env.WEBDNN_WEBGPU_KERNELS;
if (kernels && backend !== 'webgpu') throw new Error('WEBDNN_WEBGPU_KERNELS is for WEBDNN_TEST_BACKEND=webgpu only');

const ops = ownNames('ops');
const own = ownNames('nets');
const wanted = wantedNames();
const needsShared = !wanted || wanted.some((n) => n !== 'ops' && !own.includes(n) && !ops.includes(n));
const missing = needsShared ? sharedMissing() : undefined;
if (missing) test('the models of ../shared', { skip: missing }, () => {});
const known = missing ? [...ops, ...own] : [...ops, ...own, ...sharedNames(), ...MODELS2_FIXED];
const names = selected(known, wanted?.filter((n) => !missing || n === 'ops' || known.includes(n)), { ops });

const use = usePage();

// Sizes that the input values decide (NonZero, NonMaxSuppression, a TopK whose k is computed from
// values): the GPU runs the model up to that operator, a wasm tail the rest (docs/descriptor.md,
// "A wasm tail").
const FINDS_SIZES = new Set(['NonZero', 'NonMaxSuppression']);
const VALUE_SIZES = new Set(['op_TopK_value_k']);
// ... except where the converter finds them itself (NonZero of a constant).
const FOLDED = new Set(['op_NonZero_constant']);
const findsSizes = (name) => VALUE_SIZES.has(name) || (!FOLDED.has(name) && opTypes(name).some((t) => FINDS_SIZES.has(t)));

// Whether a converted webgpu model has a kernel for GPUs besides the one for SwiftShader (its
// dispatch then carries the other as `cpu`); a model run wholly by its wasm tail has none.
function hasGpuKernels(dir) {
  const file = path.join(dir, 'graph-webgpu.json');
  return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).dispatches.some((d) => d.cpu);
}

function check(name) {
  test(name, async (t) => {
    const m = model(name);
    const dir = convert(m);
    if (kernels === 'gpu' && !hasGpuKernels(dir)) {
      t.skip('no kernel made for GPUs: the same kernels as without WEBDNN_WEBGPU_KERNELS');
      return;
    }
    const ref = await reference(m);
    const options = { backendOrder: [backend], ...(kernels ? { webgpuKernels: kernels } : {}) };
    const ours = await run(use.page, `${url}/${name}`, options, ref.inputs);
    assert.equal(ours.backendName, backend);
    assert.equal(ours.runError, null);
    if (ops.includes(name)) assert.equal(Boolean(ours.tail), findsSizes(name), 'a wasm tail runs where (and only where) a size is found at run time');
    if (ours.tail) t.diagnostic(`wasm tail after ${ours.tail.head ? `the GPU, taking ${ours.tail.carried.join(', ')}` : 'nothing: the whole model'}`);
    if (kernels && (!ours.tail || ours.tail.head)) assert.equal(ours.kernels, kernels);
    if (backend === 'webgpu') t.diagnostic(`kernels: ${ours.kernels}; load ms: ${JSON.stringify(ours.loadTimes)}`);
    const { problems, lines } = verdict(ours.outputs, ref, tolerance);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on ${backend} disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}

const opNames = names.filter((n) => ops.includes(n));
if (opNames.length) describe('per-op models', () => opNames.forEach(check));
names.filter((n) => !ops.includes(n)).forEach(check);
