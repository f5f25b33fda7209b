// The WebGL backend's context and render targets: a context lost while the model loads makes
// WebDNN.load fall back to the next backend with a warning; one lost after load makes run()
// throw a clear error. Where float render targets are missing (webglRenderTarget 'float16'
// pretends so) the runner renders to half floats if the model's values fit them, and otherwise
// declines so that load falls back. A corrupt descriptor is refused before anything is made of
// it, with the error of the validator (backends/webgl/runner/validate.mjs) naming the variable
// and the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { validateWebGlDescriptor } from '../../backends/webgl/runner/validate.mjs';
import { convertedWebGl, model, reference, sharedMissing, verdict } from '../js/support.mjs';
import { usePage } from './site.mjs';
import { captureContexts, runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';

const models = {};
const use = usePage({
  async setup() {
    await captureContexts(use.page);
    for (const name of ['op_Conv', 'op_Gemm']) {
      models[name] = { dir: convertedWebGl(model(name)), ref: await reference(model(name)) };
    }
  },
});

test('a context lost while loading: load falls back to wasm with a warning', async () => {
  const { ref } = models.op_Conv;
  const ours = await runWebGl(use.page, '/models-webgl/op_Conv', { backendOrder: ['webgl', 'wasm'] }, ref.inputs, { loseContext: 'load' });
  assert.equal(ours.backendName, 'wasm');
  assert.deepEqual(ours.warnings, ["[warning] WebDNN: backend 'webgl' failed to load (the WebGL context was lost while " +
    "loading; load the model again); trying the next one"]);
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
});

test('a context lost after load: run() says so', async () => {
  const { ref } = models.op_Conv;
  const ours = await runWebGl(use.page, '/models-webgl/op_Conv', { backendOrder: ['webgl', 'wasm'] }, ref.inputs, { loseContext: 'run' });
  assert.equal(ours.backendName, 'webgl');
  assert.equal(ours.runError, 'Error: the WebGL context was lost after the model was loaded; load the model again');
});

test('a fresh load after a loss works again', async () => {
  const { ref } = models.op_Conv;
  const ours = await runWebGl(use.page, '/models-webgl/op_Conv', { backendOrder: ['webgl'] }, ref.inputs);
  assert.equal(ours.runError, null);
  assert.deepEqual(verdict(ours.outputs, ref, WEBGL_TOLERANCE).problems, []);
});

test('float32 render targets where the context has them', async () => {
  const { ref } = models.op_Gemm;
  const ours = await runWebGl(use.page, '/models-webgl/op_Gemm', { backendOrder: ['webgl'] }, ref.inputs);
  assert.equal(ours.renderTarget, 'float32');
});

// Half floats keep 11 significant bits: each stored value is within 2^-11 of itself.
const HALF_TOLERANCE = { rel: 4e-3, abs: 1e-3 };

for (const name of ['op_Conv', 'op_Gemm']) {
  test(`half-float render targets when the values fit (${name})`, async (t) => {
    const { dir, ref } = models[name];
    const descriptor = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgl.json'), 'utf8'));
    assert.equal(descriptor.half_float.fits, true, `probe max |x| ${descriptor.half_float.probe_max_abs}`);
    const ours = await runWebGl(use.page, `/models-webgl/${name}`, { backendOrder: ['webgl'], webglRenderTarget: 'float16' }, ref.inputs);
    assert.equal(ours.backendName, 'webgl');
    assert.equal(ours.renderTarget, 'float16');
    const { problems, lines } = verdict(ours.outputs, ref, HALF_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, []);
  });
}

// A whole net of ../shared whose values fit half floats, rendered to them: the rounding of every
// stored intermediate adds up over the layers, but stays within the same bound and arg-max. The
// deepest of the small nets (MobileNetV2's 50-odd layers); SqueezeNet as well took 14 s more of
// CI's two cores for the same check.
const halfNets = ['mobilenet_v2.torchscript'];
const noShared = sharedMissing();
for (const name of halfNets) {
  test(`half-float render targets on a whole net (${name})`, { skip: noShared }, async (t) => {
    const m = model(name);
    const dir = convertedWebGl(m);
    const ref = await reference(m);
    const descriptor = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgl.json'), 'utf8'));
    assert.equal(descriptor.half_float.fits, true, `probe max |x| ${descriptor.half_float.probe_max_abs}`);
    const ours = await runWebGl(use.page, `/models-webgl/${name}`, { backendOrder: ['webgl'], webglRenderTarget: 'float16' }, ref.inputs);
    assert.equal(ours.renderTarget, 'float16');
    const { problems, lines } = verdict(ours.outputs, ref, HALF_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, []);
  });
}

// A copy of converted model `dir` in the scratch folder as `name`, its webgl descriptor changed by
// edit(descriptor); returns the edited descriptor.
function editedCopy(dir, name, edit) {
  const copy = path.join(use.site.scratch, name);
  fs.cpSync(dir, copy, { recursive: true });
  const file = path.join(copy, 'graph-webgl.json');
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(d);
  fs.writeFileSync(file, JSON.stringify(d));
  return d;
}

test('half-float render targets only, and values that do not fit: declined, load falls back', async () => {
  // op_Conv as converted, its descriptor saying that the probe run went past what half floats hold.
  const { dir, ref } = models.op_Conv;
  editedCopy(dir, 'no_half', (d) => { d.half_float = { probe_max_abs: 1e6, fits: false }; });
  const ours = await runWebGl(use.page, '/scratch/no_half', { backendOrder: ['webgl', 'wasm'], webglRenderTarget: 'float16' }, ref.inputs);
  assert.equal(ours.backendName, 'wasm');
  assert.equal(ours.warnings.length, 1);
  assert.match(ours.warnings[0], /backend 'webgl' failed to load \(only half-float render targets are available here, and the model's values do not fit half floats \(up to 1000000 on a probe input\)\); trying the next one/);
  // With float targets the same model loads on webgl.
  const float = await runWebGl(use.page, '/scratch/no_half', { backendOrder: ['webgl'] }, ref.inputs);
  assert.equal(float.renderTarget, 'float32');
  assert.deepEqual(verdict(float.outputs, ref, WEBGL_TOLERANCE).problems, []);
});

test('a corrupt descriptor: load says which variable and field, and falls back', async () => {
  // op_Conv as converted, one number of its input's shape edited as a user might.
  const { dir, ref } = models.op_Conv;
  const d = editedCopy(dir, 'corrupt', (e) => { e.variables[e.inputs[0].variable].shape[1] = 29999999999; });
  const input = d.inputs[0].variable;
  const where = "descriptor '/scratch/corrupt/graph-webgl.json'";
  let message = '';
  try {
    validateWebGlDescriptor(d, where);
  } catch (e) {
    message = e.message;
  }
  assert.match(message, new RegExp(`^descriptor '/scratch/corrupt/graph-webgl\\.json': variable ${input} \\('x'\\): ` +
    'shape \\[1,29999999999,8,8\\] and layout\\.strides \\[.*\\] \\(layout\\.packed 1\\) disagree'));
  await assert.rejects(runWebGl(use.page, '/scratch/corrupt', { backendOrder: ['webgl'] }, ref.inputs),
    (e) => e.message.includes(`no backend could run the model. webgl: ${message}`));
  const ours = await runWebGl(use.page, '/scratch/corrupt', { backendOrder: ['webgl', 'wasm'] }, ref.inputs);
  assert.equal(ours.backendName, 'wasm');
  assert.deepEqual(ours.warnings, [`[warning] WebDNN: backend 'webgl' failed to load (${message}); trying the next one`]);
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
});
