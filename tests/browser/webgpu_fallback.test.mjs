// The WebGPU runner when things go wrong, in Chromium (SwiftShader): a descriptor with a number
// out of range (refused before it reaches WebGPU), a shader that does not compile, a pipeline
// that cannot be made, or the device lost while loading, makes WebDNN.load fall back to wasm
// with a console warning saying why (and wasm gives onnxruntime's answer); a device lost after
// load makes run() reject with an error that says so, every time.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { converted, model, reference, verdict } from '../js/support.mjs';
import { usePage } from './site.mjs';
import { captureDevices, runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

let conv, ref;
const use = usePage({
  async setup() {
    await captureDevices(use.page);
    conv = converted(model('op_Conv'), { gpu: true });
    ref = await reference(model('op_Conv'));
  },
});

// A copy of op_Conv (webgpu and wasm) under /scratch/NAME whose webgpu descriptor has `edit`
// applied; returns its URL and the name of the operator of its first dispatch.
function edited(name, edit) {
  const dir = path.join(use.site.scratch, name);
  fs.cpSync(conv, dir, { recursive: true });
  const file = path.join(dir, 'graph-webgpu.json');
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(d);
  fs.writeFileSync(file, JSON.stringify(d));
  return { dir: `/scratch/${name}`, op: d.dispatches[0].op };
}

// ... whose every shader has `change` applied.
function broken(name, change) {
  return edited(name, (d) => { for (const s of d.shaders) s.code = change(s.code); });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

async function expectFallback(dir, reason, options = {}, how = {}) {
  const ours = await runWebGpu(use.page, dir, { backendOrder: ['webgpu', 'wasm'], ...options }, ref.inputs, how);
  assert.equal(ours.backendName, 'wasm');
  assert.equal(ours.warnings.length, 1, ours.warnings.join('\n'));
  assert.match(ours.warnings[0], /^\[warning\] WebDNN: backend 'webgpu' failed to load \(/);
  assert.match(ours.warnings[0], reason);
  assert.match(ours.warnings[0], /trying the next one$/);
  assert.equal(ours.runError, null);
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
}

test('the model runs on webgpu as converted', async () => {
  const ours = await runWebGpu(use.page, '/models-gpu/op_Conv', { backendOrder: ['webgpu', 'wasm'] }, ref.inputs);
  assert.equal(ours.backendName, 'webgpu');
  assert.deepEqual(ours.warnings, []);
  assert.deepEqual(verdict(ours.outputs, ref, WEBGPU_TOLERANCE).problems, []);
});

test('a shader that does not compile: wasm, with a warning naming the shader and the error', async () => {
  const { dir, op } = broken('syntax', (code) => code.replace('fn main(', 'fn main(broken '));
  await expectFallback(dir, new RegExp(`WebGPU shader \\d+ \\(for '${op}'\\) does not compile: line \\d+: \\w`));
});

test('a pipeline that cannot be made (workgroup over the device limit): wasm, with a warning', async () => {
  const { dir, op } = broken('workgroup', (code) => code.replace(/@workgroup_size\(\d+\)/, '@workgroup_size(4096)'));
  await expectFallback(dir, new RegExp(`WebGPU shader \\d+ \\(for '${op}'\\) failed to make a pipeline: .*workgroup_size`));
});

test('a corrupted descriptor: wasm, with a warning naming the dispatch and the field', async () => {
  const { dir, op } = edited('corrupt', (d) => { d.dispatches[0].bindings[0][2] = 29999999999; });
  await expectFallback(dir, new RegExp(`graph-webgpu.json': dispatch 0 \\('${escape(op)}'\\): field 'bindings\\[0\\]\\[2\\]' is 29999999999, outside`));
});

test('the device lost while loading: wasm, with a warning', async () => {
  await expectFallback('/models-gpu/op_Conv', /the WebGPU device was lost while loading \(destroyed/, {}, { loseDevice: 'load' });
});

test('the device lost after load: run() rejects with a clear error, and again on the next run', async () => {
  const ours = await runWebGpu(use.page, '/models-gpu/op_Conv', { backendOrder: ['webgpu'] }, ref.inputs, { loseDevice: 'run' });
  assert.equal(ours.backendName, 'webgpu');
  const clear = /^Error: the WebGPU device was lost \(destroyed.*\); load the model again$/;
  assert.match(ours.runError, clear);
  assert.match(ours.secondRunError, clear);
});
