// The webgl descriptor's validator (backends/webgl/runner/validate.mjs), on descriptors edited the
// way a corrupt download or a hostile server would: every numeric field of every texture,
// variable and draw (and the descriptor's own limits and input/output indices) set to huge,
// negative, zero and fractional values. Each edit is either accepted or refused within a second by
// an error that names the texture, variable or draw and the field; sizes, offsets and indices
// that are huge, negative or fractional are always refused. The descriptors are two small models
// of the webgl kernel tests as webdnn-convert writes them, which the validator accepts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { validateWebGlDescriptor } from '../../backends/webgl/runner/validate.mjs';
import { convertKernelModel, kernelModels } from '../browser/kernel_models.mjs';
import { CONVERTED_WEBGL } from './support.mjs';

const VALUES = [4294967296, 29999999999, 1e300, -1, -7, 0, 0.5, 2.25];
const MODELS = ['conv_residual', 'pool_flatten_gemm_softmax'];

const { dir, index } = kernelModels('webgl');
function descriptor(name) {
  assert.ok(index[name], `no kernel model '${name}'`);
  const out = path.join(CONVERTED_WEBGL, `kernel_${name}`);
  convertKernelModel(path.join(dir, `${name}.onnx`), out, 'webgl');
  return JSON.parse(fs.readFileSync(path.join(out, 'graph-webgl.json'), 'utf8'));
}

// Every numeric leaf under the fields that describe textures, variables and draws, as
// {path, entity (how the error names its owner), field (the key it must name)}.
function numericFields(d) {
  const found = [];
  const walk = (value, at, entity, field) => {
    if (typeof value === 'number') found.push({ path: at, entity, field });
    else if (Array.isArray(value)) value.forEach((v, k) => walk(v, [...at, k], entity, field));
    else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) walk(v, [...at, key], entity, key);
  };
  const owners = { textures: 'texture', variables: 'variable', draws: 'draw' };
  for (const [list, name] of Object.entries(owners)) d[list].forEach((item, k) => walk(item, [list, k], `${name} ${k}`, null));
  d.inputs.forEach((e, k) => walk(e, ['inputs', k], `inputs[${k}]`, null));
  d.outputs.forEach((e, k) => walk(e, ['outputs', k], `outputs[${k}]`, null));
  for (const key of ['max_texture_size', 'max_draw_buffers']) found.push({ path: [key], entity: 'the descriptor', field: key });
  found.push({ path: ['weights', 'bytes'], entity: 'weights', field: 'bytes' });
  return found;
}

function edited(d, at, value) {
  const copy = structuredClone(d);
  let o = copy;
  for (const key of at.slice(0, -1)) o = o[key];
  o[at.at(-1)] = value;
  return copy;
}

// Where -1 means something: the texture of an empty tensor, the packed axis of a scalar.
function minusOneMeans(d, at) {
  if (at[0] !== 'variables') return false;
  const v = d.variables[at[1]];
  if (at[2] === 'texture') return v.shape.reduce((a, b) => a * b, 1) === 0;
  return at[2] === 'layout' && at[3] === 'packed' && v.shape.length === 0;
}

for (const name of MODELS) {
  test(`every numeric field of ${name}'s webgl descriptor, edited`, (t) => {
    const d = descriptor(name);
    validateWebGlDescriptor(d, 'as converted');
    const fields = numericFields(d);
    assert.ok(fields.length > 50, `only ${fields.length} numeric fields`);
    let refused = 0, slowest = 0;
    for (const { path: at, entity, field } of fields) {
      for (const value of VALUES) {
        const bad = edited(d, at, value);
        const what = `${at.join('.')} = ${value}`;
        const start = performance.now();
        let error = null;
        try {
          validateWebGlDescriptor(bad, 'graph-webgl.json');
        } catch (e) {
          error = e;
        }
        const ms = performance.now() - start;
        slowest = Math.max(slowest, ms);
        assert.ok(ms < 1000, `${what}: ${ms.toFixed(0)} ms`);
        // weights.bytes larger than the weights is the weights loader's to find (it checks the size).
        const mayPass = value === 0 || (value === -1 && minusOneMeans(d, at)) ||
          (at[0] === 'weights' && value > 0 && Number.isInteger(value));
        if (!error) {
          assert.ok(mayPass, `${what} was accepted`);
          continue;
        }
        refused++;
        assert.ok(error instanceof Error, `${what}: threw ${error}`);
        const message = error.message;
        assert.ok(message.startsWith('graph-webgl.json: '), `${what}: ${message}`);
        assert.ok(message.includes(entity), `${what}: the error does not name ${entity}: ${message}`);
        assert.ok(message.includes(field), `${what}: the error does not name '${field}': ${message}`);
      }
    }
    t.diagnostic(`${fields.length} numeric fields x ${VALUES.length} values: ${refused} edits refused, the slowest check ${slowest.toFixed(2)} ms`);
    assert.ok(refused > fields.length * 5, `only ${refused} edits refused`);
  });
}

test('errors say what is wrong', () => {
  const d = descriptor('conv_residual');
  const refuse = (edit, pattern) => {
    const bad = structuredClone(d);
    edit(bad);
    assert.throws(() => validateWebGlDescriptor(bad, 'g.json'), pattern);
  };
  const input = d.inputs[0].variable;
  refuse((b) => { b.variables[input].shape[1] = 29999999999; },
    new RegExp(`^Error: g\\.json: variable ${input} \\('x'\\): shape \\[1,29999999999,14,14\\] and layout\\.strides .* disagree: ` +
      'axis 1, 7500000000 texels at stride 16, runs into axis 2 at stride 32$'));
  const conv = d.draws.findIndex((draw) => draw.inputs.length > 1);
  refuse((b) => { b.draws[conv].inputs[0] = b.draws[conv].output; },
    new RegExp(`^Error: g\\.json: draw ${conv} \\(op '.*'\\): inputs\\[0\\] is variable \\d+, in texture \\d+, which the draw writes`));
  const constant = d.variables.findIndex((v) => v.offset !== undefined);
  refuse((b) => { b.variables[constant].offset = d.weights.bytes - 4; }, /offset \d+ \+ \d+ float32 values .* ends past the weights' \d+ bytes/);
  refuse((b) => { b.textures[0].width = 4096; }, /^Error: g\.json: texture 0: width is 4096; it must be an integer from 1 to 2048$/);
  refuse((b) => { b.textures[0].layers = 16; }, /texture 0: layers is 16, more than max_draw_buffers/);
  refuse((b) => { b.draws[0].program = d.programs.length; }, /draw 0 \(op '.*'\): program is \d+; it must be an integer from 0 to/);
});
