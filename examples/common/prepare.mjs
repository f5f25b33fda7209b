#!/usr/bin/env node
// Prepares an example (its model made or refilled, converted into the build tree) and serves it.
//
//   node examples/common/prepare.mjs NAME [MODEL.onnx] [--labels FILE] [--port N] [--no-serve]
//                                    [--input-shape NAME=D,D,...] [-- more webdnn-convert options]
//
// NAME is resnet50, style_transfer, digits or video (which uses resnet50's model). Environment: BUILD_DIR (default build),
// WEBDNN_SHARED_DIR (default ../shared), WEBDNN_PYTHON (default /usr/bin/python3).
//
// What goes where (nothing under examples/ is written):
//   BUILD/models/resnet50.onnx            the project's own ResNet50 (tools/make_models.py)
//   BUILD/examples/filled/NAME.onnx       a ../shared model refilled by fill_weights.py
//   BUILD/examples/models/NAME/           the converted model, plus example.json (its source,
//                                         which backends converted, which did not and why)
//   BUILD/examples/www/                   the web root: links to the pages (examples/*), the JS
//                                         package (BUILD/webdnn-js) and the converted models
// The tests (tests/browser/examples.test.mjs) call prepareModel() and makeSite() themselves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.dirname(EXAMPLES);
export const PAGES = ['index.html', 'common', 'resnet50', 'style_transfer', 'digits', 'video'];
// The backends asked of webdnn-convert, best first; those it cannot do are dropped one by one.
export const BACKENDS = ['webgpu', 'webgl', 'wasm'];

export function defaults(env = process.env) {
  const build = path.resolve(REPO, env.WEBDNN_BUILD_DIR || env.BUILD_DIR || 'build');
  return {
    build,
    shared: path.resolve(REPO, env.WEBDNN_SHARED_DIR || '../shared'),
    python: env.WEBDNN_PYTHON || '/usr/bin/python3',
    convert: env.WEBDNN_CONVERT || path.join(build, 'webdnn-convert'),
    pkg: env.WEBDNN_JS || path.join(build, 'webdnn-js'),
    // Where the project's own models are made and the ../shared models refilled (the tests
    // point these at the e2e tests' copies, so that nothing is made twice).
    ownModels: path.join(build, 'models'),
    filled: path.join(build, 'examples', 'filled'),
  };
}

// Each example's default model. `seeded`: weights from a random generator, not training.
export const EXAMPLE_MODELS = {
  resnet50: {
    title: 'ResNet50 image classification',
    model: (cfg) => path.join(cfg.ownModels, 'resnet50.onnx'),
    make: (cfg) => run('tools/make_models.py', cfg.python,
      [path.join(REPO, 'tools/make_models.py'), '--out', cfg.ownModels, '--only', 'resnet50']),
    seeded: "the project's own ResNet50 (tools/make_models.py) has seeded random weights: its classes mean nothing",
  },
  style_transfer: {
    title: 'Fast neural style transfer',
    model: (cfg) => path.join(cfg.shared, 'models', 'style_transfer.torchscript.onnx'),
    seeded: "the shared style transfer network's weights were stripped and refilled with random numbers of the " +
      "recorded statistics (../shared/tools/fill_weights.py): its 'style' is the look of an untrained network",
  },
  // The live video page runs the resnet50 example's model (converted there, not twice).
  video: { modelOf: 'resnet50' },
  digits: {
    title: 'Handwritten digits',
    model: (cfg) => path.join(cfg.shared, 'models', 'digits_cnn.onnx'),
    convertArgs: ['--input-shape', 'image=1,1,8,8'],
  },
};

function run(what, cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0) {
    const err = new Error(`${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n$ ${[cmd, ...args].join(' ')}\n` +
      output.trim().split('\n').slice(-20).join('\n'));
    err.output = output;
    err.exit = r.error ? r.error.message : r.signal ? `crashed with ${r.signal}` : `exit status ${r.status}`;
    throw err;
  }
  return output;
}

const mtime = (f) => fs.statSync(f).mtimeMs;
const newer = (file, ...than) => fs.existsSync(file) && than.every((t) => mtime(file) >= mtime(t));

// Writes `target` through a temporary sibling and a rename, so that a page or a test running at
// the same time never sees half of it.
function publish(target, make) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const result = make(tmp);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The ../shared models are weight-stripped (all but digits_cnn): refill them into the build tree.
function runnable(onnx, cfg, log) {
  const sharedModels = path.join(cfg.shared, 'models');
  if (path.dirname(onnx) !== sharedModels || path.basename(onnx) === 'digits_cnn.onnx') return onnx;
  const filler = path.join(cfg.shared, 'tools', 'fill_weights.py');
  const out = path.join(cfg.filled, path.basename(onnx));
  if (!newer(out, onnx, filler)) {
    log(`refilling the stripped weights of ${onnx} into ${out}`);
    publish(out, (tmp) => run('fill_weights.py', cfg.python, [filler, onnx, tmp]));
  }
  return out;
}

// webdnn-convert for `backends`; a backend that cannot convert the model (unknown to this
// webdnn-convert, or missing kernels) is dropped with its reason and the rest converted again.
// wasm is never dropped: it is what every browser runs (and the fallback), so its errors stop here.
// Returns { backends, skipped: [{ backend, reason }] }.
export function convertWithFallback({ convert, onnx, out, backends = BACKENDS, args = [], log = console.log }) {
  const skipped = [];
  let list = [...backends];
  for (;;) {
    try {
      run('webdnn-convert', convert, [onnx, '-o', out, '--backend', list.join(','), ...args]);
      return { backends: list, skipped };
    } catch (e) {
      const output = e.output ?? '';
      const unknown = output.match(/unknown backend '([^']+)'/);
      const generating = [...output.matchAll(/generating the (\S+) descriptor/g)].pop();
      const culprit = unknown?.[1] ?? generating?.[1];
      if (!culprit || !list.includes(culprit) || culprit === 'wasm' || list.length === 1) throw e;
      const reason = (output.trim().split('\n').filter((l) => /error/.test(l)).pop() ?? `webdnn-convert ${e.exit}`)
        .replace(/^webdnn-convert: error: /, '');
      const short = reason.length > 300 ? `${reason.slice(0, 300)}...` : reason;
      skipped.push({ backend: culprit, reason: short });
      list = list.filter((b) => b !== culprit);
      log(`note: webdnn-convert cannot convert this model for ${culprit} (${short.slice(0, 160)}); converting without it`);
    }
  }
}

// The example's model converted into `modelsDir/NAME` (redone when the model, the options or
// webdnn-convert changed). Returns what example.json holds.
export function prepareModel(name, { model, labels, convertArgs = [], modelsDir, cfg = defaults(), log = console.log } = {}) {
  const spec = EXAMPLE_MODELS[name];
  if (!spec) throw new Error(`no example '${name}' (known: ${Object.keys(EXAMPLE_MODELS).join(', ')})`);
  if (spec.modelOf) return prepareModel(spec.modelOf, { model, labels, convertArgs, modelsDir, cfg, log });
  if (!fs.existsSync(cfg.convert)) throw new Error(`${cfg.convert} is missing: build first (scripts/build.sh)`);
  const isDefault = !model;
  const source = path.resolve(model ?? spec.model(cfg));
  if (isDefault && spec.make) spec.make(cfg);
  if (!fs.existsSync(source)) {
    throw new Error(`${source} is missing` + (isDefault && source.startsWith(cfg.shared)
      ? ` (the example's default model comes from ${cfg.shared}; set WEBDNN_SHARED_DIR or give your own model: ` +
        `examples/${name}/run.sh MODEL.onnx)` : ''));
  }
  const onnx = runnable(source, cfg, log);
  const args = [...(isDefault ? spec.convertArgs ?? [] : []), ...convertArgs];
  const out = path.join(modelsDir ?? path.join(cfg.build, 'examples', 'models'), name);
  const infoFile = path.join(out, 'example.json');
  const labelsText = labels ? fs.readFileSync(labels, 'utf8') : null;
  let info = fs.existsSync(infoFile) ? JSON.parse(fs.readFileSync(infoFile, 'utf8')) : null;
  const same = info && info.source === source && info.isDefault === isDefault && info.converter === path.resolve(cfg.convert) &&
    JSON.stringify(info.convertArgs) === JSON.stringify(args) &&
    info.labels === !!labelsText && newer(path.join(out, 'manifest.json'), onnx, cfg.convert);
  if (same) {
    log(`${out} is up to date (${info.backends.join(', ')})`);
    return info;
  }
  log(`converting ${onnx} for ${BACKENDS.join(', ')} into ${out}`);
  return publish(out, (tmp) => {
    const { backends, skipped } = convertWithFallback({ convert: cfg.convert, onnx, out: tmp, args, log });
    if (labelsText !== null) fs.writeFileSync(path.join(tmp, 'labels.txt'), labelsText);
    info = {
      example: name, title: spec.title, source, isDefault, seeded: (isDefault ? spec.seeded : null) ??
        (onnx !== source ? `${path.basename(source)} from ${path.basename(cfg.shared)}/models had its weights stripped; they were ` +
          'refilled with random numbers of the recorded statistics (fill_weights.py), so its answers mean nothing' : null),
      converter: path.resolve(cfg.convert), convertArgs: args, backends, skipped, labels: labelsText !== null,
    };
    fs.writeFileSync(path.join(tmp, 'example.json'), `${JSON.stringify(info, null, 1)}\n`);
    log(`converted for ${backends.join(', ')}` + (skipped.length ? ` (not for ${skipped.map((s) => s.backend).join(', ')})` : ''));
    return info;
  });
}

// The web root `root`, made of links: the pages, /webdnn (the JS package), /models.
export function makeSite(root, { pkg, modelsDir }) {
  if (!fs.existsSync(path.join(pkg, 'webdnn.mjs'))) throw new Error(`${pkg}/webdnn.mjs is missing: build the JS package first (scripts/build.sh)`);
  fs.mkdirSync(root, { recursive: true });
  const links = [...PAGES.map((p) => [p, path.join(EXAMPLES, p)]), ['webdnn', pkg], ['models', modelsDir]];
  for (const [name, target] of links) {
    const at = path.join(root, name);
    fs.rmSync(at, { recursive: true, force: true });
    fs.symlinkSync(path.resolve(target), at);
  }
  return root;
}

function parseArgs(argv) {
  const o = { convertArgs: [], serve: true, port: Number(process.env.PORT || 8000) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--') o.convertArgs.push(...argv.splice(i + 1));
    else if (a === '--labels') o.labels = path.resolve(value());
    else if (a === '--port') o.port = Number(value());
    else if (a === '--no-serve') o.serve = false;
    else if (a === '--input-shape') o.convertArgs.push(a, value());
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!o.name) o.name = a;
    else if (!o.model) o.model = path.resolve(a);
    else throw new Error(`unexpected argument ${a}`);
  }
  return o;
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`prepare.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  if (o.help || !o.name) {
    console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 8).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(o.help ? 0 : 2);
  }
  const cfg = defaults();
  const modelsDir = path.join(cfg.build, 'examples', 'models');
  try {
    prepareModel(o.name, { model: o.model, labels: o.labels, convertArgs: o.convertArgs, modelsDir, cfg });
  } catch (e) {
    console.error(`prepare.mjs: ${e.message}`);
    process.exit(1);
  }
  const root = makeSite(path.join(cfg.build, 'examples', 'www'), { pkg: cfg.pkg, modelsDir });
  if (!o.serve) return;
  const { serve } = await import('../../tools/serve.mjs');
  let server;
  for (let port = o.port; !server; port++) {
    try {
      server = await serve({ root, port, isolate: true });
    } catch (e) {
      if (e.code !== 'EADDRINUSE' || port >= o.port + 20) throw e;
    }
  }
  console.log(`\nserving ${root} (cross-origin isolated, so the wasm backend may use threads)\n` +
    `open ${server.url}/${o.name}/   (all examples: ${server.url}/)   Ctrl-C stops it`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
