// The webgpu runner's descriptor check (backends/webgpu/runner/validate.mjs), as a corrupt
// download or a hostile server would test it: every number of a converted descriptor (op_Conv:
// arena and weights buffers, the input and output variables, a dispatch with bias and a CPU
// variant) is replaced in turn by huge, negative, zero, fractional and non-numeric values. Each
// copy is accepted or refused within a second with an error naming a part and a field; values
// that cannot be right (huge, negative, fractional, not a number) are always refused, by name.
// The converted descriptor itself passes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { validateWebGpuDescriptor } from '../../backends/webgpu/runner/validate.mjs';
import { converted, model } from './support.mjs';

const WHERE = "descriptor 'op_Conv/graph-webgpu.json'";
const dir = converted(model('op_Conv'), { gpu: true });
const original = JSON.parse(fs.readFileSync(path.join(dir, 'graph-webgpu.json'), 'utf8'));

// Every numeric leaf below the parts the runner reads, as a path of keys.
function numericPaths(value, at = []) {
  if (typeof value === 'number') return [at];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => numericPaths(v, [...at, Array.isArray(value) ? Number(k) : k]));
}

// The words an error about `at` must contain: the field's name as the message writes it.
function fieldWord(at) {
  const bindings = at.indexOf('bindings');
  if (bindings >= 0) return `bindings[${at[bindings + 1]}]`;
  for (const key of ['workgroups', 'shape']) if (at.includes(key)) return key;
  return at.findLast((k) => typeof k === 'string');
}

const PART = /^descriptor '[^']+': (the descriptor's( 'weights')?|buffer \d+|variable \d+|inputs \d+|outputs \d+|shader \d+|dispatch \d+)( \('[^']*'\))?: .*field/;
const WRONG = [4294967296, 29999999999, 1e300, -1, -256, 2.5, 256.5, '256', null];
const PLAUSIBLE = [0, 1, 4, 256];

test('the descriptor as converted passes', () => {
  validateWebGpuDescriptor(original, WHERE);
});

const paths = numericPaths({ max_binding: original.max_binding, weights: { bytes: original.weights.bytes }, buffers: original.buffers,
  variables: original.variables, inputs: original.inputs, outputs: original.outputs, dispatches: original.dispatches });

test(`every numeric field (${paths.length}) with every corrupt value`, () => {
  assert.ok(paths.length >= 30, `only ${paths.length} numeric fields in op_Conv's webgpu descriptor`);
  let refused = 0, accepted = 0;
  for (const at of paths) {
    for (const value of [...WRONG, ...PLAUSIBLE]) {
      const d = structuredClone(original);
      let parent = d;
      for (const k of at.slice(0, -1)) parent = parent[k];
      parent[at.at(-1)] = value;
      const what = `${at.join('.')} = ${JSON.stringify(value)}`;
      const started = performance.now();
      let error = null;
      try {
        validateWebGpuDescriptor(d, WHERE);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `${what}: took ${ms.toFixed(0)} ms`);
      if (!error) {
        assert.ok(PLAUSIBLE.includes(value), `${what} was accepted`);
        accepted++;
        continue;
      }
      refused++;
      assert.match(error.message, PART, `${what}: ${error.message}`);
      // A value that cannot be right is refused at its own field; a plausible one may instead
      // contradict another field, which the error names.
      if (WRONG.includes(value)) {
        assert.ok(error.message.includes(fieldWord(at)), `${what}: the error does not name '${fieldWord(at)}': ${error.message}`);
      }
    }
  }
  assert.ok(accepted > 0 && refused > 0);
});

test('the errors say what is wrong', () => {
  const refuse = (edit, pattern) => {
    const d = structuredClone(original);
    edit(d);
    assert.throws(() => validateWebGpuDescriptor(d, WHERE), pattern);
  };
  const op = original.dispatches[0].op;
  const escaped = op.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  refuse((d) => { d.dispatches[0].workgroups[1] = 65536; },
    new RegExp(`dispatch 0 \\('${escaped}'\\): field 'workgroups\\[1\\]' is 65536, outside \\[1, 65535\\]`));
  refuse((d) => { d.dispatches[0].bindings[0][1] += 4; }, /field 'bindings\[0\]\[1\]' is \d+, not a multiple of 256/);
  refuse((d) => { d.dispatches[0].bindings.pop(); }, /gives \d bindings, but shader \d+ \(field 'shader'\) declares \d/);
  refuse((d) => { d.dispatches[0].bindings[1][2] = 4; }, /field 'bindings\[1\]\[2\]' is 4 bytes, but shader \d+ reads \d+ there/);
  refuse((d) => { d.variables[0].shape[1] = 29999999999; }, /variable 0 \('[^']+'\): field 'shape\[1\]' is 29999999999, outside/);
  refuse((d) => { d.variables[0].shape[1] += 1; }, /variable 0 \('[^']+'\): field 'bytes' is \d+; shape \[[\d,]+\] stored as f32 takes \d+/);
  refuse((d) => { d.buffers[1].weights_offset = d.weights.bytes; }, /buffer 1 \('[^']+'\): fields 'weights_offset' and 'bytes' reach byte \d+, past the \d+ bytes of the weights/);
  refuse((d) => { d.dispatches[0].cpu.shader = 99; }, /field 'cpu.shader' is 99, not one of the \d+ shaders/);
  refuse((d) => { d.inputs[0].variable = -1; }, /inputs 0 \('[^']+'\): field 'variable' is -1, not one of the 2 variables/);
  refuse((d) => { d.dispatches = 'none'; }, /the descriptor's 'dispatches' must be a list/);
});

test('buffers of the runner\'s own and dispatches run once at load', () => {
  const d = structuredClone(original);
  d.buffers.push({ name: 'scratch9', bytes: 1024, kind: 'scratch' }, { name: 'prepared10', bytes: 2048, kind: 'prepared' });
  d.prepare = [structuredClone(d.dispatches[0])];
  d.prepare[0].kernels = 'gpu';
  validateWebGpuDescriptor(d, WHERE);
  const refuse = (edit, pattern) => {
    const e = structuredClone(d);
    edit(e);
    assert.throws(() => validateWebGpuDescriptor(e, WHERE), pattern);
  };
  refuse((e) => { e.buffers.at(-1).kind = 'spare'; }, /buffer \d+ \('prepared10'\): field 'weights_offset' is missing, and field 'kind' is "spare"/);
  refuse((e) => { e.buffers[1].kind = 'scratch'; }, /buffer 1 \('[^']+'\): field 'kind' is "scratch", but the buffer holds weights/);
  refuse((e) => { e.prepare[0].workgroups[0] = 0; }, /prepare dispatch 0 \('[^']+'\): field 'workgroups\[0\]' is 0, outside \[1, 65535\]/);
  refuse((e) => { e.prepare[0].bindings[0][2] = e.buffers.at(-1).bytes + 4096; }, /prepare dispatch 0 .*fields 'bindings\[0\]\[1\]' and 'bindings\[0\]\[2\]' reach byte/);
  refuse((e) => { e.prepare = {}; }, /the descriptor's 'prepare' must be a list/);
  refuse((e) => { e.dispatches[0].kernels = 'gpus'; }, /dispatch 0 \('[^']+'\): field 'kernels' is "gpus", not 'gpu' or 'cpu'/);
});
