// The webgpu backend on a second WebGPU implementation: Dawn in Node.js (the npm package `webgpu`
// of bench/gpu) on Mesa's lavapipe (Vulkan on the CPU, from bookworm-backports: scripts/setup.sh),
// whose adapter differs from Chromium's SwiftShader where real GPUs do too: subgroups of 8, not 4,
// and shader-f16. The WebGPU kernel models (tests/browser/webgpu_kernel_models.py) that have
// subgroups variants, and one of each kind of integer product, run with the GPU kernels, the
// subgroups variants and dot4I8Packed, against onnxruntime-node within the GPU tolerance. Models
// exported in half precision run their f16 programs here (float tensors stored as f16, integers
// exact in f32, the kernels' sums in f32): the half kernel models, whose sums pass f16's range,
// MobileNetV3-small's first blocks and BERT-tiny, generated in the page at one shape (its token
// ids past f16's exact integers). Skipped where there is no such adapter, except under CI, which installs it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openDawn } from '../../bench/gpu/dawn.mjs';
import { CONVERT as CONVERT_BIN, CONVERTED, CONVERTED_GPU, importWebDNN, isCI, onnxFile, publish, PYTHON, reference, REPO, run, sharedMissing, SHARED,
  verdict } from '../js/support.mjs';
import { convertKernelModel, fresh, kernelModels, kernelReference } from './kernel_models.mjs';
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
// (subgroups of 8 here, 4 there), and one model of each kind of integer product (dot4I8Packed
// lowered for this driver; Chromium runs them all with it and without, edges included). The
// others tell nothing new for their time: with an empty shader cache, as on CI's fresh machines,
// lavapipe compiles a pipeline in about a second, an integer convolution's in 4 to 20 s.
const dirOf = (name) => path.join(CONVERTED_GPU, `kernel_${name}`);
const integerKinds = new Set();
const chosen = found.skip ? [] : Object.entries(index).filter(([name, meta]) => {
  convertKernelModel(path.join(MODELS, `${name}.onnx`), dirOf(name), 'webgpu',
    { ...(meta.max_binding ? { WEBDNN_WEBGPU_MAX_BINDING: String(meta.max_binding) } : {}), ...meta.env });
  const d = JSON.parse(fs.readFileSync(path.join(dirOf(name), 'graph-webgpu.json'), 'utf8'));
  if (d.dispatches.some((x) => x.subgroups)) return true;
  if (!meta.packed_dot) return false;
  const kind = [...new Set(d.dispatches.filter((x) => x.packed_dot).map((x) => x.type))].sort().join();
  if (integerKinds.has(kind)) return false;
  integerKinds.add(kind);
  return true;
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

// The f16 program ran: runner.storage, and shaders that bind f16 arrays (webgpu_storage.mjs).
function assertF16(runner, what) {
  const program = runner.current ?? runner;  // a model with free dimensions: the shape's runner
  assert.equal(runner.storage, 'f16', `${what}: storage`);
  assert.equal(program.storage, 'f16', `${what}: the runner's storage`);
  const halves = program.descriptor.shaders.filter((s) => s.code.startsWith('enable f16;') && s.code.includes('array<f16,'));
  assert.ok(halves.length > 0, `${what}: no shader binds f16 arrays`);
}

// Runs `dir` on lavapipe with the f16 program against `ref` (reference()'s), within `tolerance`,
// with the GPU kernels or the CPU ones (`kernels`).
async function runHalf(t, dir, ref, tolerance, what, kernels = 'gpu') {
  const runner = await WebDNN.load(dir, { backendOrder: ['webgpu'], webgpuKernels: kernels });
  try {
    for (const i of ref.inputs) runner.inputs.find((v) => v.name === i.name).set(i.data, i.shape);
    await runner.run();
    assertF16(runner, what);
    const outputs = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.declaredType ?? o.dtype, shape: o.shape, data: o.toActual() }]));
    const { problems, lines } = verdict(outputs, ref, tolerance);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${what} (f16 program) on lavapipe disagrees with onnxruntime:\n${problems.join('\n')}`);
  } finally {
    runner.dispose();
  }
}

// float16 outputs: within 2.5e-3 of the largest (compare.mjs, a float16 step or two: onnxruntime
// rounds to f16 after every operator, as the f16 program stores), and no absolute slack that
// would hide a wrong small output.
const HALF_TOLERANCE = { rel: 1e-3, abs: 1e-6 };

const halfDir = path.join(MODELS, 'half');
const halfModels = found.skip ? {} : JSON.parse(fs.readFileSync(path.join(halfDir, 'models.json'), 'utf8'));
for (const name of Object.keys(halfModels)) {
  test(`${name}: f16 program, f32 sums`, async (t) => {
    const onnx = path.join(halfDir, `${name}.onnx`);
    convertKernelModel(onnx, dirOf(name), 'webgpu');
    const meta = halfModels[name];
    // Free dimensions: a symbolic graph, the shape's program generated in the page.
    const symbolic = Array.isArray(JSON.parse(fs.readFileSync(path.join(dirOf(name), 'graph-webgpu.json'), 'utf8')).operators);
    assert.equal(symbolic, !!meta.shapes, 'a symbolic graph where the model has free dimensions');
    const ref = await reference({ name, source: onnx, shared: false, shapes: meta.shapes ?? {}, ranges: meta.ranges ?? { x: [-1, 1] } });
    await runHalf(t, dirOf(name), ref, HALF_TOLERANCE, name);
  });
}
if (!found.skip) test('there are half kernel models', () => assert.ok(Object.keys(halfModels).length >= 4, Object.keys(halfModels).join(', ')));

// ../shared/models2's fp16 exports. MobileNetV3-small's first two blocks (a strided convolution,
// hard-swish, depthwise, squeeze-excitation, pointwise), with the squeeze-excitation product as a
// second output, with the CPU kernels: lavapipe compiles a shader at its first dispatch, and the
// GPU kernels' convolutions took 5 to 40 s each (the CPU kernels' 1 to 7 s; the first four blocks,
// to features.3, took 115 s with the GPU kernels, 51 s with the CPU ones, f16 and f32 programs
// alike; the whole net over 2 minutes).
const shared = found.skip ? 'no lavapipe' : sharedMissing();
const HEAD = ['/features/features.1/block/block.1/Mul_output_0', '/features/features.1/block/block.2/block.2.0/Conv_output_0'];
test('mobilenet_v3_small.fp16 (its first blocks): f16 program', { skip: shared }, async (t) => {
  const full = onnxFile({ name: 'mobilenet_v3_small.fp16', source: path.join(SHARED, 'models2/mobilenet_v3_small.fp16.onnx'), shared: true });
  const onnx = path.join(CONVERTED_GPU, 'mobilenet_v3_small.fp16.features1.onnx');
  publish(onnx, () => fresh(onnx, full), (tmp) => run('extract_model', PYTHON, ['-c',
    'import sys, onnx.utils; onnx.utils.extract_model(sys.argv[1], sys.argv[2], ["x"], sys.argv[3:])', full, tmp, ...HEAD]));
  const dir = path.join(CONVERTED_GPU, 'mobilenet_v3_small.fp16.features1');
  convertKernelModel(onnx, dir, 'webgpu');
  const ref = await reference({ name: 'mobilenet_v3_small.fp16.head', source: onnx, shared: false, shapes: {}, ranges: {} });
  await runHalf(t, dir, ref, HALF_TOLERANCE, 'mobilenet_v3_small.fp16 head', 'cpu');
});

// BERT-tiny exported in float16, its free dimensions kept: the page's generator makes the shape's
// f16 program. Token ids up to 30522 gather the embeddings: stored as f16, most would round to
// another row.
test('bert_tiny_dyn.fp16 at [1, 16]: f16 program generated in the page', { skip: shared }, async (t) => {
  const m = { name: 'bert_tiny_dyn.fp16', source: path.join(SHARED, 'models2/bert_tiny_dyn.fp16.onnx'), shared: true,
    shapes: { input_ids: [1, 16], attention_mask: [1, 16] }, ranges: { input_ids: [0, 30522], attention_mask: [1, 2] } };
  const onnx = onnxFile(m);
  const dir = path.join(CONVERTED, `${m.name}.free-webgpu`);
  publish(dir, () => fresh(path.join(dir, 'manifest.json'), onnx) && fresh(path.join(dir, 'manifest.json'), CONVERT_BIN),
    (tmp) => run('webdnn-convert', CONVERT_BIN, [onnx, '-o', tmp, '--backend', 'webgpu']));
  const ref = await reference(m);
  await runHalf(t, dir, ref, HALF_TOLERANCE, 'bert_tiny_dyn.fp16');
});
