// The expression edge-value test: every expression op (webdnn/expr_ops.h), as the ONNX op that maps
// onto it, on IEEE edge values (NaN, +-inf, -0, denormals, large magnitudes) against
// onnxruntime-node, on every backend. The semantics WebDNN promises (webdnn/expr_ops.h) decide
// what may differ: CPU backends agree to float rounding; GPU backends may flush denormals, compute
// transcendental functions to about 1e-5 relative, sin and cos to 1e-3 absolute for |x| < 1e4,
// mod and fmod to a few float steps of |a| (or one whole |b| off where a is within a step of a
// multiple of b), and keep integers exact up to 2^24.
import fs from 'node:fs';
import path from 'node:path';

import { BUILD, CONVERT, CONVERTED, newer, ort, publish, PYTHON, REPO, run } from './support.mjs';

const SCRIPT = path.join(REPO, 'tools/testmodels/expr_edges.py');
const ONNX = path.join(BUILD, 'tests/expr_edges/expr_edges.onnx');
export const NAME = 'expr_edges';  // converted into CONVERTED/NAME (the browser tests' /models/NAME)

export const EDGES = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 1.1754944e-38, 1e-7, 0.3, -0.3, 0.5, -0.5, 1, -1,
  1.5, 2, -2, 2.5, -2.5, 3, 7, 100, -100, 1e10, -1e10, 3e38, -3e38];
const INTS = [-7, -6, -5, -1, 0, 1, 5, 6, 7, 2147483647];
const DIVISORS = [-3, -2, -1, 1, 2, 3, 7];  // onnxruntime fails on an integer division by zero

// Every pair (x, y) of edge values, the bool patterns beside them, and integer pairs.
export function edgeInputs() {
  const x = [], y = [], p = [], q = [], i = [], j = [];
  EDGES.forEach((a, ia) => EDGES.forEach((b, ib) => {
    x.push(a);
    y.push(b);
    p.push((ia + ib) % 2);
    q.push(Math.floor((ia + ib) / 2) % 2);
  }));
  INTS.forEach((a) => DIVISORS.forEach((b) => { i.push(a); j.push(b); }));
  const f = (name, data) => ({ name, type: 'float32', shape: [data.length], data: Float32Array.from(data) });
  return [f('a', EDGES), f('x', x), f('y', y),
    { name: 'p', type: 'bool', shape: [p.length], data: Uint8Array.from(p) },
    { name: 'q', type: 'bool', shape: [q.length], data: Uint8Array.from(q) },
    { name: 'i', type: 'int32', shape: [i.length], data: Int32Array.from(i) },
    { name: 'j', type: 'int32', shape: [j.length], data: Int32Array.from(j) }];
}

// The model, converted for every backend with its input shapes pinned.
export function convertedEdges() {
  publish(ONNX, () => newer(ONNX, SCRIPT), (tmp) => run('expr_edges.py', PYTHON, [SCRIPT, tmp]));
  const dir = path.join(CONVERTED, NAME);
  const shapes = edgeInputs().flatMap((i) => ['--input-shape', `${i.name}=${i.shape.join(',')}`]);
  publish(dir, () => newer(path.join(dir, 'manifest.json'), ONNX, CONVERT),
    (tmp) => run('webdnn-convert', CONVERT, [ONNX, '-o', tmp, '--backend', 'wasm,webgpu,webgl', ...shapes]));
  return dir;
}

// onnxruntime-node's outputs: {name: {type, shape, data}}.
export async function expectedEdges(inputs) {
  const session = await ort.InferenceSession.create(ONNX, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor(i.type, i.data, i.shape)]));
  const result = await session.run(feeds);
  const out = Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, data: result[n].data }]));
  await session.release();
  return out;
}

const TRANSCENDENTAL = new Set(['Exp', 'Log', 'Sin', 'Cos', 'Tanh', 'Erf', 'Sigmoid', 'Pow']);
const MIN_NORMAL = 1.1754944e-38;
const denormal = (v) => v !== 0 && Math.abs(v) < MIN_NORMAL;

// What the value of output `name` at `k` read: the inputs of its op at that element.
function operands(name, k, inputs) {
  const by = Object.fromEntries(inputs.map((i) => [i.name, i.data]));
  if (name.startsWith('u_')) return [by.a[k]];
  if (name.startsWith('i_')) return [by.i[k], by.j[k]];
  return [by.x[k], by.y[k]];
}

// Where a GPU backend is not held to the reference (see the header), for an element of op(args).
function gpuExempt(op, args) {
  if (args.some(denormal)) return true;
  if ((op === 'Sin' || op === 'Cos') && !(Math.abs(args[0]) < 1e4)) return true;
  return args.some((v) => Number.isInteger(v) && Math.abs(v) > 2 ** 24);
}

// The error a GPU backend may make on op(args) whose exact result is r.
function gpuTolerance(op, args, r) {
  if (op === 'Sin' || op === 'Cos') return 1e-3;
  if ((op === 'Mod' || op === 'FMod') && Number.isFinite(args[0])) return Math.abs(args[0]) * 2 ** -21;
  return (TRANSCENDENTAL.has(op) ? 1e-5 : 1e-6) * Math.abs(r) + (TRANSCENDENTAL.has(op) ? 1e-6 : 0);
}

// Disagreements of `ours` ({name: {data}}) with `expected`, one line each; `gpu` for webgpu/webgl.
export function edgeProblems(ours, expected, inputs, { gpu = false } = {}) {
  const problems = [];
  for (const [name, ref] of Object.entries(expected)) {
    const got = ours[name]?.data;
    if (!got) {
      problems.push(`${name}: missing`);
      continue;
    }
    const op = name.slice(2);
    const float = ref.type === 'float32';
    // onnxruntime's own approximations lose precision on denormal results (tanh(1e-40) off by
    // 6e-5 relative, sigmoid(-100) flushed to 0): those agree to a normal float's smallest step.
    const cpuTolerance = (r) => (TRANSCENDENTAL.has(op) ? 1e-6 * Math.abs(r) + MIN_NORMAL : 0);
    const bad = [];
    for (let k = 0; k < ref.data.length; k++) {
      const r = Number(ref.data[k]), o = Number(got[k]);
      const args = operands(name, k, inputs);
      if (gpu && gpuExempt(op, args)) continue;
      let ok;
      if (Number.isNaN(r)) ok = Number.isNaN(o);
      else if (!Number.isFinite(r)) ok = o === r;
      else if (gpu && denormal(r)) ok = o === 0 || Math.abs(o - r) <= MIN_NORMAL;
      else if (!float) ok = o === r;
      else {
        const tol = gpu ? gpuTolerance(op, args, r) : cpuTolerance(r);
        ok = Math.abs(o - r) <= tol;  // -0 and 0 agree
        // a - b * trunc(a / b) in f32 lands on the other side of a multiple of b when a is that close.
        if (gpu && !ok && (op === 'Mod' || op === 'FMod')) ok = Math.abs(Math.abs(o - r) - Math.abs(args[1])) <= tol;
      }
      if (!ok) bad.push(`${op}(${args.join(', ')}) = ${o}, expected ${r}`);
    }
    if (bad.length) problems.push(`${name}: ${bad.length} of ${ref.data.length} differ, e.g. ${bad.slice(0, 6).join('; ')}`);
  }
  return problems;
}
