#!/usr/bin/env node
// End-to-end check of one ONNX model: webdnn-convert, webdnn-run, and onnxruntime-node on the same
// inputs; every output must agree within max|ours-ref| <= 1e-4*max|ref| + 1e-5.
// Exit status: 0 pass, 1 fail, 77 skipped (a ../shared model that is absent outside CI).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { floatToHalf, halfToFloat } from '../../runtime/js/half.mjs';
import { compareOutput, argmaxRows, isClassifier } from './compare.mjs';
import { ARRAY_OF, readNpy, writeNpy } from './npy.mjs';

const USAGE = `usage: check_model.mjs MODEL.onnx [options]
  --convert PATH          webdnn-convert (default: $WEBDNN_CONVERT or build/webdnn-convert)
  --run PATH              webdnn-run (default: $WEBDNN_RUN or build/webdnn-run)
  --input-shape NAME=D,.. shape of an input with free dimensions (passed to webdnn-convert too)
  --at DIM=N,DIM=N,..      run the model converted once (free dimensions kept) with its
                          inputs' free dimensions (their ONNX dim_params) at these sizes;
                          repeatable: each --at is one more run, each compared
  --dim NAME=MIN..MAX     passed to webdnn-convert
  --weights CODING        passed to webdnn-convert (fp16, int8, int4: compare with --tolerance,
                          or --labels for what matters)
  --input NAME=FILE.npy   use this value for an input instead of a generated one
  --input-range NAME=LO,HI  draw a generated input from [LO, HI) (integers: floor of it;
                          default: the range in models.json next to the model, else [0, 1))
  --labels FILE.npy       int64 class per row; our arg-max of the classifier output must match
  --fill-to FILE.onnx     the model is weight-stripped: fill it into FILE first (cached by mtime)
  --filler PATH           fill_weights.py (default: MODEL_DIR/../tools/fill_weights.py)
  --shared                the model comes from ../shared: if absent, skip (exit 77), or fail under CI
  --reference-share F      fail when an operator that runs on a reference kernel (not one of
                          the wasm backend's own) does more than F of the model's
                          floating-point operations (report.json's kernel_choices)
  --quantized-steps N     outputs that a DequantizeLinear computes (with one scale) may be N
                          quantization steps off onnxruntime's instead of within the relative
                          tolerance (tests/e2e/output_steps.py): a value near a rounding tie
                          lands on either side, and in a deep network such a difference grows
                          from layer to layer. The line printed says how far onnxruntime's own
                          integer kernels (graphOptimizationLevel 'all', which fuses QDQ into
                          QLinearConv...) are from its float path ('basic') on the same input.
  --tolerance REL         max|ours - ref| <= REL * max|ref| + 1e-5 instead of 1e-4 (a model
                          that quantizes its activations at run time: an input within float
                          rounding of a rounding tie lands one step away)
  --seed N                seed of the generated inputs (default 1)
  --keep                  keep the work directory`;

const SKIP = 77;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';
const sanitize = (name) => name.replace(/[^A-Za-z0-9_.-]/g, '_');

function parseArgs(argv) {
  const o = { inputShapes: {}, inputs: {}, inputRanges: {}, at: [], convertArgs: [], seed: 1, keep: false, shared: false,
    convert: process.env.WEBDNN_CONVERT || `${REPO}/build/webdnn-convert`,
    run: process.env.WEBDNN_RUN || `${REPO}/build/webdnn-run` };
  const pair = (s, what) => {
    const eq = s.lastIndexOf('=');
    if (eq <= 0) usage(`${what} wants NAME=VALUE, got '${s}'`);
    return [s.slice(0, eq), s.slice(eq + 1)];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--convert') o.convert = value();
    else if (a === '--run') o.run = value();
    else if (a === '--input-shape') { const [n, v] = pair(value(), a); o.inputShapes[n] = v.split(',').map(Number); }
    else if (a === '--input') { const [n, v] = pair(value(), a); o.inputs[n] = v; }
    else if (a === '--at') {
      o.at.push(Object.fromEntries(value().split(',').map((s) => {
        const [n, v] = pair(s, a);
        if (!/^[0-9]+$/.test(v)) usage(`${a} wants DIM=N,..., got '${s}'`);
        return [n, Number(v)];
      })));
    } else if (a === '--dim' || a === '--weights') o.convertArgs.push(a, value());
    else if (a === '--input-range') {
      const [n, v] = pair(value(), a);
      const range = v.split(',').map(Number);
      if (range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) usage(`${a} wants NAME=LO,HI with LO < HI, got '${n}=${v}'`);
      o.inputRanges[n] = range;
    }
    else if (a === '--labels') o.labels = value();
    else if (a === '--fill-to') o.fillTo = value();
    else if (a === '--filler') o.filler = value();
    else if (a === '--shared') o.shared = true;
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--reference-share') {
      o.referenceShare = Number(value());
      if (!(o.referenceShare >= 0 && o.referenceShare <= 1)) usage(`${a} wants a fraction in [0, 1]`);
    }
    else if (a === '--quantized-steps') {
      o.quantizedSteps = Number(value());
      if (!(o.quantizedSteps >= 0)) usage(`${a} wants a number of steps`);
    }
    else if (a === '--tolerance') {
      o.tolerance = Number(value());
      if (!(o.tolerance > 0 && o.tolerance < 1)) usage(`${a} wants a fraction in (0, 1)`);
    }
    else if (a === '--keep') o.keep = true;
    else if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    else if (a.startsWith('-') || o.model) usage(`unexpected argument '${a}'`);
    else o.model = a;
  }
  if (!o.model) usage('no model given');
  return o;
}

function usage(message) {
  console.error(`check_model: ${message}\n${USAGE}`);
  process.exit(2);
}

class Failure extends Error {}

// A command that must succeed; its output is shown only when it fails.
function mustRun(what, cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
    const output = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n');
    // The tools' own "error:" message (with its indented continuation lines) leads the report.
    const at = output.findIndex((l) => /\berror:/.test(l));
    const end = output.findIndex((l, i) => i > at && !l.startsWith('  '));
    const summary = at < 0 ? '' : ` ${output.slice(at, end < 0 ? undefined : end).join('\n')}`;
    throw new Failure(`${what} failed (${why}):${summary}\n--- to reproduce:\n$ ${[cmd, ...args].join(' ')}\n` +
      output.slice(-40).join('\n'));
  }
  return seconds;
}

const isCI = () => !!process.env.CI && !['0', 'false', 'no'].includes(process.env.CI.toLowerCase());

function missingShared(model) {
  const msg = `${model} is missing: the e2e tests of the real-world models need the shared folder ` +
    `(../shared next to the repository, or cmake -DWEBDNN_SHARED_DIR=...)`;
  if (isCI()) {
    console.error(`\n${'!'.repeat(100)}\nERROR (CI=${process.env.CI}): ${msg}.\nCI must provide ../shared.\n${'!'.repeat(100)}`);
    process.exit(1);
  }
  console.log(`SKIP: ${msg} (set CI=true to make this an error).`);
  process.exit(SKIP);
}

// The stripped model refilled by fill_weights.py, redone only when the source is newer.
function filled(model, out, filler) {
  const mtime = (f) => fs.statSync(f).mtimeMs;
  if (fs.existsSync(out) && mtime(out) >= mtime(model) && mtime(out) >= mtime(filler)) return undefined;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;  // concurrent runs never see a half-written file
  const seconds = mustRun('fill_weights.py', PYTHON, [filler, model, tmp]);
  fs.renameSync(tmp, out);
  return seconds;
}

// What tools/make_models.py wrote about the model into the models.json next to it, if anything.
function indexEntry(model) {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(path.dirname(model), 'models.json'), 'utf8'));
    return index[path.basename(model, '.onnx')] || index[path.basename(model)] || {};
  } catch {
    return {};
  }
}

// The input ranges it gives, if any.
function inputRanges(model) {
  return Object.fromEntries((indexEntry(model).inputs || []).filter((i) => i.range).map((i) => [i.name, i.range]));
}

// Deterministic per (seed, model, input): mulberry32 seeded by an FNV-1a hash of the key.
function generator(key) {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  let s = h >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInput(meta, shape, [lo, hi], key) {
  const next = generator(key);
  const count = shape.reduce((a, d) => a * d, 1);
  const Array = ARRAY_OF[meta.type];
  if (!Array) throw new Failure(`input '${meta.name}' has type ${meta.type}, which the harness cannot generate`);
  const data = new Array(count);
  for (let i = 0; i < count; i++) {
    const u = lo + (hi - lo) * next();
    if (meta.type === 'int64') data[i] = BigInt(Math.floor(u));
    else if (meta.type === 'bool') data[i] = next() < 0.5 ? 1 : 0;
    else if (meta.type === 'float16') data[i] = floatToHalf(u);  // bits, as onnxruntime-node takes them
    else data[i] = meta.type.startsWith('float') ? u : Math.floor(u);
  }
  return { type: meta.type, shape, data };
}

// The input's shape: given by --input-shape, or the declared one with its free dimensions (named
// by their dim_param) at the sizes `at` gives.
function resolveShape(meta, given, at = {}) {
  if (given) return given;
  const shape = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : at[d]));
  if (shape.every((d) => Number.isInteger(d))) return shape;
  throw new Failure(`input '${meta.name}' has free dimensions [${meta.shape}]; pass --input-shape ${meta.name}=...`);
}

async function check(o, work) {
  const base = path.basename(o.model);
  const times = {};
  let model = o.model;
  if (o.fillTo) {
    times.fill = filled(o.model, o.fillTo, o.filler || path.join(path.dirname(o.model), '../tools/fill_weights.py'));
    model = o.fillTo;
  }
  let ort;
  try {
    ort = createRequire(path.join(REPO, 'package.json'))('onnxruntime-node');
  } catch (e) {
    throw new Failure(`cannot load onnxruntime-node from ${REPO}/node_modules (run scripts/setup.sh): ${e.message}`);
  }

  // The reference first: it also tells the inputs' names, types and shapes.
  let t0 = performance.now();
  let session, integerSession;
  try {
    session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'basic', intraOpNumThreads: 1, interOpNumThreads: 1 });
    if (o.quantizedSteps !== undefined) integerSession = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new Failure(`onnxruntime cannot load ${model}: ${e.message}`);
  }
  // A model exported in half precision: onnxruntime computes it in float16, WebDNN in float32.
  // The same model widened to float32 (tools/upcast_half.py) is the oracle for WebDNN's numerics
  // (1e-3); the half model stays the one for its meaning (compare.mjs's float16 tolerance).
  const half = [...session.inputMetadata, ...session.outputMetadata].some((m) => m.type === 'float16');
  let wide;
  if (half) {
    const upcast = `${model}.float32.onnx`;
    if (!fs.existsSync(upcast) || fs.statSync(upcast).mtimeMs < fs.statSync(model).mtimeMs) {
      mustRun('upcast_half.py', PYTHON, [path.join(REPO, 'tools/upcast_half.py'), model, `${upcast}.${process.pid}.tmp`]);
      fs.renameSync(`${upcast}.${process.pid}.tmp`, upcast);
    }
    wide = await ort.InferenceSession.create(upcast, { graphOptimizationLevel: 'basic', intraOpNumThreads: 1, interOpNumThreads: 1 });
  }
  const ranges = { ...inputRanges(o.model), ...o.inputRanges };
  const out = path.join(work, 'converted');
  const shapeArgs = Object.entries(o.inputShapes).flatMap(([n, s]) => ['--input-shape', `${n}=${s.join(',')}`]);
  times.convert = mustRun('webdnn-convert', o.convert, [model, '-o', out, ...shapeArgs, ...o.convertArgs]);
  const problems = [];
  const lines = [];
  const steps = o.quantizedSteps === undefined ? {} : quantizationSteps(model);
  if (o.referenceShare !== undefined) problems.push(...checkKernels(out, o.referenceShare, lines));
  // A model with free dimensions made by make_models.py runs at the sizes it gives by default.
  const defaultAt = !o.at.length && !shapeArgs.length && indexEntry(o.model).at;
  const runs = o.at.length ? o.at : defaultAt ? [defaultAt] : [{}];
  for (let k = 0; k < runs.length; k++) {
    const at = runs[k];
    const label = o.at.length ? `at ${Object.entries(at).map(([n, s]) => `${n}=${s}`).join(',')}: ` : '';
    const feeds = {}, inputArgs = [];
    const inputs = path.join(work, `inputs${k}`), results = path.join(work, `results${k}`);
    fs.mkdirSync(inputs);
    for (const meta of session.inputMetadata) {
      const file = o.inputs[meta.name] || path.join(inputs, `${sanitize(meta.name)}.npy`);
      const value = o.inputs[meta.name] ? readNpy(file)
        : makeInput(meta, resolveShape(meta, o.inputShapes[meta.name], at), ranges[meta.name] || [0, 1], `${o.seed}:${base}:${meta.name}`);
      if (!o.inputs[meta.name]) writeNpy(file, value);
      feeds[meta.name] = new ort.Tensor(value.type, value.data, value.shape);
      inputArgs.push('--input', `${meta.name}=${file}`);
    }
    let ref;
    t0 = performance.now();
    try {
      ref = await session.run(feeds);
    } catch (e) {
      throw new Failure(`${label}onnxruntime failed to run ${model}: ${e.message}`);
    }
    times.onnxruntime = (times.onnxruntime || 0) + (performance.now() - t0) / 1000;
    const integer = integerSession ? await integerSession.run(feeds) : undefined;
    times.run = (times.run || 0) + mustRun('webdnn-run', o.run, [out, '--output-dir', results, ...inputArgs]);
    let wideRef;
    if (wide) {
      const wideFeeds = Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.type !== 'float16' ? t
        : new ort.Tensor('float32', Float32Array.from(t.data, halfToFloat), t.dims)]));
      wideRef = await wide.run(wideFeeds);
    }

    for (const name of session.outputNames) {
      const file = path.join(results, `${sanitize(name)}.npy`);
      if (!fs.existsSync(file)) {
        problems.push(`${label}output '${name}': webdnn-run wrote no ${path.basename(file)}`);
        continue;
      }
      // A quantized output: N steps, and a class within N steps of the best counts as a tie.
      const step = steps[name], n = o.quantizedSteps;
      const note = step === undefined ? '' : `; onnxruntime's integer kernels: ${maxSteps(integer[name].data, ref[name].data, step)} off its float path`;
      // Values are whole steps apart (to float32 rounding): n steps and a half admits n.
      const tolerance = step !== undefined ? { rel: 0, abs: (n + 0.5) * step, gap: (n + 0.5) * step }
        : o.tolerance !== undefined ? { rel: o.tolerance } : {};
      const ours = readNpy(file);
      const r = compareOutput(name, ours, { type: ref[name].type, shape: [...ref[name].dims], data: ref[name].data }, tolerance);
      if (step !== undefined) r.line += `  (quantized: ${n} step${n === 1 ? '' : 's'} of ${step.toExponential(3)} allowed${note})`;
      lines.push(label + r.line);
      problems.push(...r.problems.map((p) => `${label}output '${name}': ${p}`));
      if (wideRef) {
        const w = compareOutput(`${name} (float32 oracle)`, ours, { type: 'float32', shape: [...wideRef[name].dims], data: wideRef[name].data },
          { rel: 1e-3, classes: false });
        lines.push(label + w.line);
        problems.push(...w.problems.map((p) => `${label}output '${name}' against the float32 model: ${p}`));
      }
    }
    if (o.labels) problems.push(...checkLabels(o.labels, session.outputNames, results, lines));
  }
  const timing = Object.entries(times).map(([k, v]) => `${k} ${v === undefined ? 'cached' : `${v.toFixed(2)} s`}`).join(', ');
  console.log(`${base}: ${timing}`);
  for (const l of lines) console.log(`  ${l}`);
  if (problems.length) throw new Failure(problems.join('\n'));
}

// The most steps of `step` by which two arrays differ.
function maxSteps(a, b, step) {
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.round(Math.abs(a[i] - b[i]) / step));
  return most;
}

// The quantization step of each output a DequantizeLinear with one scale computes, by name.
function quantizationSteps(model) {
  const r = spawnSync(PYTHON, [path.join(REPO, 'tests/e2e/output_steps.py'), model], { encoding: 'utf8' });
  if (r.status !== 0) throw new Failure(`output_steps.py failed on ${model}:\n${r.stderr}`);
  const steps = JSON.parse(r.stdout);
  if (!Object.keys(steps).length) throw new Failure(`--quantized-steps: no output of ${model} is a DequantizeLinear with one scale`);
  return steps;
}

// The kernels the wasm backend chose, weighed by floating-point operations: lists the reference
// kernels that run (kernels of the wasm backend are named "wasm.*") and returns a problem for each
// one over `limit` of the model's total.
function checkKernels(out, limit, lines) {
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  const choices = report.backends.find((b) => b.backend === 'wasm')?.kernel_choices;
  if (!choices) return ['report.json lists no kernel_choices for the wasm backend'];
  const total = choices.reduce((sum, c) => sum + c.flops, 0) || 1;
  const reference = new Map();  // operator type -> [count, flops]
  for (const c of choices.filter((k) => !k.kernel.startsWith('wasm.'))) {
    const [n, f] = reference.get(c.type) ?? [0, 0];
    reference.set(c.type, [n + 1, f + c.flops]);
  }
  const share = (f) => `${(100 * f / total).toFixed(f / total < 0.001 ? 3 : 1)}%`;
  lines.push(`reference kernels: ${[...reference].map(([t, [n, f]]) => `${t} x${n} ${share(f)}`).join(', ') || 'none'}`);
  return choices.filter((c) => !c.kernel.startsWith('wasm.') && c.flops > limit * total)
    .map((c) => `${c.type} '${c.op}' runs on the reference kernel '${c.kernel}' and does ${share(c.flops)} of the model's work (limit ${share(limit * total)})`);
}

// Our arg-max per row of the (first) classifier output against the known classes.
function checkLabels(labelsFile, outputNames, results, lines) {
  const labels = Array.from(readNpy(labelsFile).data, Number);
  for (const name of outputNames) {
    const ours = readNpy(path.join(results, `${sanitize(name)}.npy`));
    if (!isClassifier(ours.shape)) continue;
    const classes = argmaxRows(ours.data, ours.shape);
    const wrong = labels.map((l, i) => (classes[i] === l ? null : `sample ${i}: ${classes[i]} (label ${l})`)).filter(Boolean);
    lines.push(`${name}: ${labels.length - wrong.length}/${labels.length} samples classified as labelled`);
    return wrong.length ? [`labels: ${wrong.join(', ')}`] : [];
  }
  return [`labels given but no output has a classifier shape`];
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.shared && !fs.existsSync(o.model)) missingShared(o.model);
  if (!fs.existsSync(o.model)) {
    console.error(`FAIL ${o.model}: no such file (were the test models generated? see tools/make_models.py)`);
    process.exit(1);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `webdnn-e2e-${path.basename(o.model, '.onnx')}-`));
  let ok = false;
  try {
    await check(o, work);
    ok = true;
    console.log(`PASS ${path.basename(o.model)}`);
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    console.log(`FAIL ${path.basename(o.model)}: ${e.message}`);
    if (!o.keep) console.log(`to keep the inputs and outputs: ${process.argv.slice(0, 2).join(' ')} ${process.argv.slice(2).join(' ')} --keep`);
  } finally {
    if (o.keep) console.log(`work directory kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(ok ? 0 : 1);
}

main();
