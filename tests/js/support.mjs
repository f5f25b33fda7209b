// What the Node.js and browser tests of the JS package share: where things are, the caches of
// refilled and converted models, seeded inputs, onnxruntime-node's answers and the verdict.
// Paths come from the environment (CTest sets them); by hand they default to build/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { floatToHalf } from '../../runtime/js/half.mjs';
import { compareOutput } from '../e2e/compare.mjs';
import { ARRAY_OF } from '../e2e/npy.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD = path.resolve(process.env.WEBDNN_BUILD_DIR || path.join(REPO, 'build'));
export const PACKAGE = path.resolve(process.env.WEBDNN_JS || path.join(BUILD, 'webdnn-js'));
export const CONVERT = process.env.WEBDNN_CONVERT || path.join(BUILD, 'webdnn-convert');
export const SHARED = path.resolve(process.env.WEBDNN_SHARED_DIR || path.join(REPO, '../shared'));
export const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';
// Written by tools/make_models.py (the CTest fixtures e2e_ops and e2e_nets).
export const OWN = path.join(BUILD, 'tests/e2e/models');
// The e2e tests' cache of refilled ../shared models: the same files, filled once for both.
const FILLED = path.join(BUILD, 'tests/e2e/filled');
export const CONVERTED = path.join(BUILD, 'tests/js/converted');
// Converted for webgpu (see converted), beside the wasm-only ones.
export const CONVERTED_GPU = path.join(BUILD, 'tests/js/converted-gpu');
// Converted for the WebGL backend (see convertedWebGl), for the webgl tests.
export const CONVERTED_WEBGL = path.join(BUILD, 'tests/js/converted-webgl');

export const ort = createRequire(path.join(REPO, 'package.json'))('onnxruntime-node');

// The package under test, imported from `dir` (a copy of it, for tests that break one).
export async function importWebDNN(dir = PACKAGE) {
  const entry = path.join(dir, 'webdnn.mjs');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: build the JS package first (make webdnn_js)`);
  return (await import(pathToFileURL(entry).href)).default;
}

export const isCI = () => !!process.env.CI && !['0', 'false', 'no'].includes(process.env.CI.toLowerCase());

// undefined when ../shared is there; a skip message when it is not; under CI an exception, since
// CI must run those tests.
export function sharedMissing() {
  if (fs.existsSync(path.join(SHARED, 'models'))) return undefined;
  const msg = `${SHARED}/models is missing: these tests need the shared folder ` +
    '(../shared next to the repository, or WEBDNN_SHARED_DIR / cmake -DWEBDNN_SHARED_DIR=...)';
  if (isCI()) throw new Error(`\n${'!'.repeat(80)}\nERROR (CI=${process.env.CI}): ${msg}. CI must provide ../shared.\n${'!'.repeat(80)}`);
  console.log(`SKIP: ${msg} (set CI=true to make this an error)`);
  return `SKIP: ${msg}`;
}

export function run(what, cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n$ ${[cmd, ...args].join(' ')}\n` +
      `${r.stdout}${r.stderr}`.trim().split('\n').slice(-30).join('\n'));
  }
}

const mtime = (f) => fs.statSync(f).mtimeMs;
export const newer = (file, ...than) => fs.existsSync(file) && than.every((t) => mtime(file) >= mtime(t));

// Writes `target` (a file or folder) with `make(tmp)` and a rename unless `fresh()` says it is up
// to date, so that tests running at the same time never see half of it. When two make it at once,
// the second finds the first's fresh and drops its own rather than replace what may be in use.
export function publish(target, fresh, make) {
  if (fresh()) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  make(tmp);
  if (!fresh()) {
    // Renames, not a removal in place: another test process reading the old copy (ctest -j) must
    // never see it half deleted (a manifest without its weights once).
    const old = `${target}.${process.pid}.old`;
    try {
      fs.renameSync(target, old);
    } catch {}  // absent
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      if (!fresh()) throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

// The shared models by name ('resnet50.torchscript', 'digits_cnn', ...).
export function sharedNames() {
  const dir = path.join(SHARED, 'models');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort() : [];
}

// The project's own models of a group ('ops' or 'nets'), made by tools/make_models.py when absent.
export function ownNames(group) {
  const dir = path.join(OWN, group);
  if (!fs.existsSync(path.join(dir, 'models.json'))) {
    run('tools/make_models.py', PYTHON, [path.join(REPO, 'tools/make_models.py'), '--out', dir, '--only', group]);
  }
  return Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'models.json'), 'utf8'))).sort();
}

// The ONNX operator types of one of our per-op models.
export function opTypes(name) {
  ownNames('ops');
  return JSON.parse(fs.readFileSync(path.join(OWN, 'ops', 'models.json'), 'utf8'))[name].ops;
}

// The big nets (ours and the shared exports), kept off the slow plain-JavaScript fallback: the
// fallback runs the same C++ kernels as the native tests (simd.h's vectors become scalar code),
// so the per-op models and the small nets tell what it adds. Style transfer (27 s there) and
// YOLOS (19 s) run on it with WEBDNN_SLOW_TESTS (cmake -DWEBDNN_SLOW_TESTS=ON).
const BIG = process.env.WEBDNN_SLOW_TESTS === '1' ? /^(resnet50|vgg16)\b/ : /^(resnet50|vgg16|style_transfer|yolos_tiny)\b/;
export const isBig = (name) => BIG.test(name);
// digits_cnn has a free batch dimension.
const INPUT_SHAPES = { digits_cnn: { image: [1, 1, 8, 8] } };

// The float models of ../shared/models2 with fixed shapes, which a test runs when it names them
// (those with free dimensions run in free_dims tests, the quantized and half ones in
// quantized_models.test.mjs and tests/e2e).
export const MODELS2_FIXED = ['mobilenet_v3_small', 'whisper_tiny_encoder', 'yolos_tiny'];

// Where a model comes from and how to run it: { name, source, shared, shapes, ranges }.
export function model(name) {
  const folder = sharedNames().includes(name) ? 'models' : MODELS2_FIXED.includes(name) ? 'models2' : null;
  const shared = folder !== null;
  const group = name.startsWith('op_') ? 'ops' : 'nets';
  const source = shared ? path.join(SHARED, folder, `${name}.onnx`) : path.join(OWN, group, `${name}.onnx`);
  let ranges = {}, shapes = INPUT_SHAPES[name] ?? {};
  if (!shared) {
    ownNames(group);
    const index = JSON.parse(fs.readFileSync(path.join(OWN, group, 'models.json'), 'utf8'));
    if (!index[name]) throw new Error(`no model '${name}' in ${OWN}/${group}/models.json nor in ${SHARED}/models`);
    const inputs = index[name].inputs || [];
    ranges = Object.fromEntries(inputs.filter((i) => i.range).map((i) => [i.name, i.range]));
    // Free dimensions at the sizes make_models.py gives to test at (the conversion specializes them).
    const at = index[name].at;
    if (at) shapes = Object.fromEntries(inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : at[d]))]));
  }
  return { name, source, shared, shapes, ranges };
}

// The runnable ONNX file: shared models are weight-stripped and refilled once into FILLED, by
// ../shared's fill_weights.py through tests/e2e/fill_weights.py (as the e2e tests fill them).
export function onnxFile(m) {
  if (!m.shared) return m.source;
  const filler = path.join(REPO, 'tests/e2e/fill_weights.py');
  const out = path.join(FILLED, `${m.name}.onnx`);
  publish(out, () => newer(out, m.source, filler, path.join(SHARED, 'tools/fill_weights.py')),
    (tmp) => run('fill_weights.py', PYTHON, [filler, m.source, tmp]));
  return out;
}

// The model converted for the wasm backend (or with `gpu`, for webgpu into CONVERTED_GPU; per-op
// models for wasm too, the fallback tests' second backend, the nets not: a second backend doubles
// their conversion), cached in the build tree until the model or webdnn-convert changes.
export function converted(m, { gpu = false } = {}) {
  const onnx = onnxFile(m);
  const dir = path.join(gpu ? CONVERTED_GPU : CONVERTED, m.name);
  const backends = !gpu ? 'wasm' : m.name.startsWith('op_') ? 'webgpu,wasm' : 'webgpu';
  const shapes = Object.entries(m.shapes).flatMap(([n, s]) => ['--input-shape', `${n}=${s.join(',')}`]);
  publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
    (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', backends, ...shapes]));
  return dir;
}

// The model converted for wasm with its free dimensions kept (no --input-shape), into
// CONVERTED/<name>.free, cached likewise.
export function convertedFree(m, args = []) {
  const onnx = onnxFile(m);
  const dir = path.join(CONVERTED, `${m.name}.free`);
  publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
    (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', 'wasm', ...args]));
  return dir;
}

// The model converted for the GPU backends with its free dimensions kept (their symbolic graphs,
// generated in the page per shape), into CONVERTED/<name>.free-gpu, cached likewise; `args`: more
// options (--dim).
export function convertedFreeGpu(m, args = []) {
  const onnx = onnxFile(m);
  const dir = path.join(CONVERTED, `${m.name}.free-gpu`);
  publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
    (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', 'webgpu,webgl', ...args]));
  return dir;
}

// The model converted for webgl into CONVERTED_WEBGL, cached likewise; per-op models for wasm
// too (the webgl tests' fallbacks), the big nets not (a second backend doubles their conversion).
export function convertedWebGl(m) {
  const onnx = onnxFile(m);
  const dir = path.join(CONVERTED_WEBGL, m.name);
  const shapes = Object.entries(m.shapes).flatMap(([n, s]) => ['--input-shape', `${n}=${s.join(',')}`]);
  publish(dir, () => newer(path.join(dir, 'manifest.json'), onnx, CONVERT),
    (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', m.name.startsWith('op_') ? 'webgl,wasm' : 'webgl', ...shapes]));
  return dir;
}

// Seeded uniform numbers in [0, 1): a 32-bit xorshift seeded by a hash of `key`.
function uniform(key) {
  let s = 0x811c9dc5;
  for (const ch of key) s = Math.imul(s ^ ch.charCodeAt(0), 0x01000193);
  s = (s >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function makeInput(meta, shape, [lo, hi], key) {
  const Type = ARRAY_OF[meta.type];
  if (!Type) throw new Error(`input '${meta.name}' has type ${meta.type}, which the tests cannot generate`);
  const next = uniform(key);
  const data = new Type(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) {
    const u = lo + (hi - lo) * next();
    if (meta.type === 'int64') data[i] = BigInt(Math.floor(u));
    else if (meta.type === 'bool') data[i] = next() < 0.5 ? 1 : 0;
    else if (meta.type === 'float16') data[i] = floatToHalf(u);  // bits, as onnxruntime-node takes them
    else data[i] = meta.type === 'float32' ? u : Math.floor(u);
  }
  return { name: meta.name, type: meta.type, shape, data };
}

// Seeded inputs and onnxruntime-node's outputs on them: { inputs: [{name, type, shape, data}],
// outputs: {name: {type, shape, data}} }.
export async function reference(m) {
  const session = await ort.InferenceSession.create(onnxFile(m),
    { graphOptimizationLevel: 'basic', intraOpNumThreads: 1, interOpNumThreads: 1 });
  const inputs = session.inputMetadata.map((meta) => {
    const shape = m.shapes[meta.name] ?? meta.shape;
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`${m.name}: input '${meta.name}' has free dimensions [${shape}]`);
    return makeInput(meta, shape, m.ranges[meta.name] ?? [0, 1], `${m.name}:${meta.name}`);
  });
  const feeds = Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor(i.type, i.data, i.shape)]));
  const result = await session.run(feeds);
  const outputs = Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, shape: [...result[n].dims], data: result[n].data }]));
  await session.release();
  return { inputs, outputs };
}

// Disagreements of `ours` ({name: {type, shape, data}}) with the reference, one line each, and
// the figures of every output for the log; `tolerance` as compareOutput takes it.
export function verdict(ours, ref, tolerance) {
  const problems = [], lines = [];
  for (const [name, r] of Object.entries(ref.outputs)) {
    if (!ours[name]) {
      problems.push(`output '${name}' is missing (ours: ${Object.keys(ours).join(', ')})`);
      continue;
    }
    const c = compareOutput(name, ours[name], r, tolerance);
    lines.push(c.line);
    problems.push(...c.problems.map((p) => `output '${name}': ${p}`));
  }
  return { problems, lines };
}
