// The webgpu runner's load and profile, in Chromium (SwiftShader): a shader that a descriptor lists
// twice under two numbers is compiled once (and the model still gives onnxruntime's answer); the
// load split it reports adds up; profile() times every dispatch of the program and leaves the
// runner giving the right answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { converted, model, reference, verdict } from '../js/support.mjs';
import { usePage } from './site.mjs';
import { runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const use = usePage();

const descriptorOf = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));
// The shader number each dispatch runs with the kernel set the runner picked.
const shadersRun = (d, kernels) => d.dispatches.map((x) => (kernels === 'cpu' && x.cpu ? x.cpu.shader : x.shader));

test('a shader listed twice under two numbers makes one pipeline', async () => {
  const m = model('op_Range');
  const ref = await reference(m);
  const source = converted(m, { gpu: true });
  const d = descriptorOf(source);
  // Give the second of two dispatches that share a shader a copy of it under a new number.
  const shared = d.dispatches.findIndex((x, i) => d.dispatches.slice(0, i).some((y) => y.shader === x.shader));
  assert.ok(shared > 0, 'op_Range no longer has two dispatches sharing a shader: pick a model that has');
  assert.equal(d.dispatches[shared].cpu, undefined);
  d.shaders.push({ ...d.shaders[d.dispatches[shared].shader] });
  d.dispatches[shared].shader = d.shaders.length - 1;
  const dir = path.join(use.site.scratch, 'twice');
  fs.cpSync(source, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'graph-webgpu.json'), JSON.stringify(d));

  const ours = await runWebGpu(use.page, '/scratch/twice', { backendOrder: ['webgpu'] }, ref.inputs);
  const used = shadersRun(d, ours.kernels);
  const texts = new Set(used.map((k) => d.shaders[k].code));
  assert.ok(texts.size < new Set(used).size);
  assert.equal(ours.pipelineCount, texts.size);
  assert.deepEqual(verdict(ours.outputs, ref, WEBGPU_TOLERANCE).problems, []);
});

test('the load split and profile() of every dispatch', async (t) => {
  const m = model('op_Conv_1d');
  const ref = await reference(m);
  const dir = converted(m, { gpu: true });
  const d = descriptorOf(dir);
  const ours = await runWebGpu(use.page, `/models-gpu/${m.name}`, { backendOrder: ['webgpu'] }, ref.inputs, { profile: true });
  t.diagnostic(`load ms: ${JSON.stringify(ours.loadTimes)}; timestamp-query: ${ours.timestampQuery}`);

  const times = ours.loadTimes;
  for (const k of ['download', 'device', 'pipelines', 'upload', 'total']) assert.ok(Number.isFinite(times[k]) && times[k] >= 0, `${k}: ${times[k]}`);
  // The pipelines are asked for once the device is open, and the load waits for both.
  assert.ok(times.total + 1 >= times.device + times.pipelines, JSON.stringify(times));
  assert.ok(times.total + 1 >= times.download && times.total + 1 >= times.upload, JSON.stringify(times));
  assert.equal(ours.pipelineCount, new Set(shadersRun(d, ours.kernels).map((k) => d.shaders[k].code)).size);

  const p = ours.profile;
  assert.equal(p.length, d.dispatches.length);
  assert.deepEqual(p.map((e) => e.index).sort((a, b) => a - b), d.dispatches.map((_, i) => i));
  for (const e of p) {
    const x = d.dispatches[e.index];
    const run = ours.kernels === 'cpu' && x.cpu ? { ...x, ...x.cpu } : x;
    assert.equal(e.op, x.op);
    assert.equal(e.type, x.type);
    assert.equal(e.kernel, `shader ${run.shader}`);
    assert.deepEqual(e.workgroups, run.workgroups);
    assert.ok(Number.isFinite(e.ms) && e.ms >= 0, `${e.op}: ${e.ms} ms`);
    assert.equal(e.clock, ours.timestampQuery ? 'gpu' : 'queue');
  }
  assert.deepEqual(p.map((e) => e.ms), p.map((e) => e.ms).sort((a, b) => b - a));
  assert.deepEqual(verdict(ours.outputs, ref, WEBGPU_TOLERANCE).problems, []);
  assert.deepEqual(verdict(ours.outputsAfterProfile, ref, WEBGPU_TOLERANCE).problems, []);
});
