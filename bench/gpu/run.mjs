#!/usr/bin/env node
// GPU benchmark: WebDNN's webgpu backend against onnxruntime-web's WebGPU EP on whatever GPU this
// machine has, in Node.js through Dawn (the npm package `webgpu`), same models and input. Prints
// the table of bench/run.mjs, WebDNN's load split and its slowest kernels (GPU timestamps), and
// writes them as JSON. Without a GPU it says so and exits 0. See bench/README.md and DEVELOPERS.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convert, MODELS, prepareOnnx } from '../models.mjs';
import { loadTable, ms, table } from '../report.mjs';
import { adapterInfo, openDawn } from './dawn.mjs';
import { profileTables } from './profile.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BENCH = path.dirname(HERE);
const REPO = path.dirname(BENCH);
const GPU_MODELS = ['resnet50', 'vgg16', 'mobilenet_v2', 'squeezenet1_1', 'whisper_tiny_encoder', 'bert_tiny_dyn', 'vit_b16'];
// Dawn rounds timestamps to tens of microseconds unless told not to (browsers do it against
// timing attacks); a GPU kernel often takes less.
const DAWN_DEFAULT = 'disable-dawn-features=timestamp_quantization';

const USAGE = `usage: node bench/gpu/run.mjs [options]
  --models LIST    ${Object.keys(MODELS).join(',')} or all (default ${GPU_MODELS.join(',')})
  --engines LIST   webdnn,ort (default both; onnxruntime-web's CPU EP always runs once, as the reference)
  --runs N         timed runs after the first (default 20)
  --warmup N       untimed runs before them (default 3)
  --alternate      the engines take turns run by run (default: all runs of one, then the other's)
  --profile N      WebDNN's per-dispatch profile, median of N runs; 0: none (default 5)
  --top N          kernels listed per model (default 12)
  --out DIR        where gpu.json goes (default bench/results)
  --build DIR      build folder with webdnn-convert and webdnn-js (default build)
  --cache DIR      filled and converted models (default bench/.cache)
  --shared DIR     the shared models and tools (default ../shared)
  --python PATH    Python with onnx and numpy, to fill weights (default /usr/bin/python3)
  --ort DIR        onnxruntime-web's dist folder (default node_modules/onnxruntime-web/dist)
  --dawn DIR       the npm package webgpu (default bench/gpu/node_modules/webgpu)
  --dawn-option S  an option for Dawn's create(), repeatable (e.g. backend=vulkan; always: ${DAWN_DEFAULT})
  --webdnn-option NAME=JSON  a load option for WebDNN, repeatable (e.g. webgpuSubgroups=false)
  --cpu-adapter    run even when the adapter runs on the CPU (SwiftShader, lavapipe)
  --timeout S      give up on one model after S seconds (default 300)
  --seed N         seed of the input values (default 1)
Exit status: 0 when every row ran, or when there is no GPU (skipped); 1 when a row failed; 2 usage.`;

function parseArgs(argv) {
  const o = { models: GPU_MODELS, engines: ['webdnn', 'ort'], runs: 20, warmup: 3, alternate: false, profile: 5, top: 12,
    out: path.join(BENCH, 'results'), build: path.join(REPO, 'build'), cache: path.join(BENCH, '.cache'),
    shared: path.join(REPO, '..', 'shared'), python: '/usr/bin/python3', ort: path.join(REPO, 'node_modules', 'onnxruntime-web', 'dist'),
    dawn: path.join(HERE, 'node_modules', 'webgpu'), dawnOptions: [DAWN_DEFAULT], webdnnOptions: {}, cpuAdapter: false, timeout: 300, seed: 1 };
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const number = (name, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} takes a whole number, not '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--models') o.models = v() === 'all' ? Object.keys(MODELS) : list(argv[i]);
    else if (a === '--engines') o.engines = list(v());
    else if (a === '--runs') o.runs = Math.max(1, number(a, v()));
    else if (a === '--warmup') o.warmup = number(a, v());
    else if (a === '--profile') o.profile = number(a, v());
    else if (a === '--top') o.top = number(a, v());
    else if (['--out', '--build', '--cache', '--shared', '--ort', '--dawn'].includes(a)) o[a.slice(2)] = path.resolve(v());
    else if (a === '--python') o.python = v();
    else if (a === '--dawn-option') o.dawnOptions.push(v());
    else if (a === '--webdnn-option') {
      const [name, value] = v().split(/=(.*)/s);
      try {
        o.webdnnOptions[name] = JSON.parse(value);
      } catch {
        throw new Error(`--webdnn-option takes NAME=JSON (e.g. webgpuSubgroups=false), not '${argv[i]}'`);
      }
    }
    else if (a === '--cpu-adapter') o.cpuAdapter = true;
    else if (a === '--alternate') o.alternate = true;
    else if (a === '--timeout') o.timeout = number(a, v());
    else if (a === '--seed') o.seed = number(a, v());
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option '${a}'`);
  }
  const unknown = o.models.filter((m) => !MODELS[m]);
  if (unknown.length) throw new Error(`unknown model ${unknown.join(', ')}; known: ${Object.keys(MODELS).join(', ')}`);
  const badEngine = o.engines.filter((e) => !['webdnn', 'ort'].includes(e));
  if (badEngine.length) throw new Error(`unknown engine ${badEngine.join(', ')}; known: webdnn, ort`);
  return o;
}

// onnx.mapping is gone from current onnx (the GPU machine's); fill.py stands in for it there.
function fillWrapper(python) {
  const probe = spawnSync(python, ['-c', 'import onnx.mapping'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : path.join(HERE, 'fill.py');
}

// Runs child.mjs for one model and returns its rows. The child prints its result and is then
// killed: Node's exit would wait for V8 to finish compiling onnxruntime-web's 27 MB of wasm in
// the background (a minute of CPU), which a page closing never does.
function runChild(config, o, log) {
  const file = path.join(o.cache, `gpu-${config.model.name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(HERE, 'child.mjs'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(result);
    };
    const timer = setTimeout(() => finish({ error: `took over ${o.timeout} s` }), o.timeout * 1000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n');
      const line = lines.slice(0, -1).find((l) => l.startsWith('RESULT '));  // complete lines only
      if (line) finish(JSON.parse(line.slice(7)));
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
      for (const l of String(chunk).split('\n').filter(Boolean)) if (!/^Warning: |^\s+at /.test(l)) log(l);
    });
    child.on('exit', (code, signal) => finish({ error: `the process ended (${signal ?? `exit ${code}`}) without a result: ${err.trim().split('\n').slice(-3).join(' | ')}` }));
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const log = (line) => console.error(line);
  const { gpu, skip: noDawn } = await openDawn(o.dawn, o.dawnOptions);
  const adapter = noDawn ? { skip: noDawn } : await adapterInfo(gpu);
  if (adapter.skip && !(o.cpuAdapter && adapter.info)) {
    console.log(`bench/gpu/run.mjs: skipped: ${adapter.skip}`);
    return 0;
  }
  const a = adapter.info;
  console.log(`adapter: ${a.vendor} ${a.architecture} ${a.device} (${a.description}); timestamp-query: ${a.features.includes('timestamp-query') ? 'yes' : 'no'}, ` +
    `subgroups: ${a.features.includes('subgroups') ? 'yes' : 'no'}, shader-f16: ${a.features.includes('shader-f16') ? 'yes' : 'no'}`);

  const converter = path.join(o.build, 'webdnn-convert');
  for (const need of [converter, path.join(o.build, 'webdnn-js', 'webdnn.mjs'), path.join(o.ort, 'ort.webgpu.min.mjs')]) {
    if (!fs.existsSync(need)) throw new Error(`${need} is missing (build the project, npm ci, or pass --build / --ort)`);
  }
  fs.mkdirSync(o.cache, { recursive: true });
  const context = { repo: REPO, shared: o.shared, cache: o.cache, converter, log, python: o.python, fillWrapper: fillWrapper(o.python) };
  const lib = { webdnn: pathToFileURL(path.join(o.build, 'webdnn-js', 'webdnn.mjs')).href, ort: `${pathToFileURL(o.ort).href}/`,
    ortBundle: 'ort.webgpu.min.mjs', ortWasmFile: path.join(o.ort, 'ort-wasm-simd-threaded.asyncify.wasm') };

  const rows = [];
  for (const name of o.models) {
    const started = performance.now();
    let model, dir;
    try {
      model = prepareOnnx(name, context);
      dir = o.engines.includes('webdnn') ? convert(model, 'webgpu', context) : null;
    } catch (e) {
      log(`${name}: ${e.message}`);
      for (const engine of o.engines) rows.push({ model: name, engine, backend: 'webgpu', threads: 1, status: 'error', error: e.message });
      continue;
    }
    const config = { dawn: { dir: o.dawn, options: o.dawnOptions }, lib, engines: o.engines, runs: o.runs, warmup: o.warmup, alternate: o.alternate,
      webdnnOptions: o.webdnnOptions, profile: o.profile, seed: o.seed, model: { name, onnx: model.onnx, webdnn: dir, inputs: model.inputs } };
    const r = await runChild(config, o, log);
    if (r.error) {
      log(`${name}: ${r.error}`);
      for (const engine of o.engines) rows.push({ model: name, engine, backend: 'webgpu', threads: 1, status: 'error', error: r.error.split('\n')[0] });
      continue;
    }
    for (const row of r.rows) {
      log(`${name} ${row.engine} ${row.backend}: ${row.status === 'ok' ? `load ${ms(row.load)} ms, first ${ms(row.first)} ms, median ${ms(row.median)} ms`
        : `${row.status}: ${row.error}`}`);
      rows.push(row);
    }
    log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const info = { date: new Date().toISOString(), webdnn: gitVersion(), node: process.version, adapter: a, dawnOptions: o.dawnOptions,
    onnxruntimeWeb: ortVersion(o.ort), cpus: os.cpus().length, seed: o.seed, runs: o.runs, warmup: o.warmup };
  console.log(`\nWebDNN vs onnxruntime-web ${info.onnxruntimeWeb} on ${a.description || a.device}, Node.js ${process.version} + Dawn; ` +
    `median ms per run (input written and output read back), after ${o.warmup} warm-up runs; ` +
    `${o.alternate ? 'the engines took turns run by run' : "each engine's runs in a block"}\n`);
  console.log(table(rows));
  const loads = loadTable(rows);
  if (loads) console.log(`\nWebDNN load split, ms (the parts overlap):\n${loads}`);
  const profiles = profileTables(rows, o.top);
  if (profiles) console.log(`\n${profiles}`);
  fs.mkdirSync(o.out, { recursive: true });
  const file = path.join(o.out, 'gpu.json');
  fs.writeFileSync(file, `${JSON.stringify({ info, options: o, rows }, null, 1)}\n`);
  console.log(`\nwrote ${file}`);
  const failed = rows.filter((r) => r.status === 'error' && r.engine === 'webdnn');
  const differ = rows.filter((r) => r.check?.ok === false);
  if (differ.length) console.log(`outputs differ from the reference on: ${differ.map((r) => `${r.model} ${r.engine}`).join(', ')}`);
  return failed.length || differ.some((r) => r.engine === 'webdnn') ? 1 : 0;
}

// The commit, or where there is no git (the GPU machine) the one pack.sh recorded.
function gitVersion() {
  const r = spawnSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status === 0) return r.stdout.trim();
  const packed = path.join(REPO, 'VERSION');
  return fs.existsSync(packed) ? `${fs.readFileSync(packed, 'utf8').trim()} (packed)` : 'unknown';
}

function ortVersion(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(`bench/gpu/run.mjs: ${e.message}`);
  process.exit(2);
});
