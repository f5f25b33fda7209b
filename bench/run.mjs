#!/usr/bin/env node
// Browser benchmark: WebDNN against onnxruntime-web, same model, input, page and threads, in one
// headless Chromium run. Prints a table and writes it as JSON with a PNG (and SVG) bar chart.
// A measurement, not a test. See bench/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openPage } from '../tests/browser/driver.mjs';
import { serve } from '../tools/serve.mjs';
import { convert, DEFAULT_MODELS, MODELS, prepareOnnx } from './models.mjs';
import { CI_ROWS, compare, REMEASURE, rowKey, rowOfKey, writeBaseline } from './regression.mjs';
import { analyse, chart, ENGINE_NAMES, freeTable, loadTable, median, ms, table } from './report.mjs';

// Models whose outputs may differ from onnxruntime-web's by more than 1e-3 (models.mjs).
const TOLERANCES = Object.fromEntries(Object.entries(MODELS).filter(([, m]) => m.tolerance).map(([k, m]) => [k, m.tolerance]));

// The time the timed runs of one pair may take with --quick (measureGroup).
const QUICK_SECONDS = 15;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(HERE);

const USAGE = `usage: node bench/run.mjs [options]
  --models LIST     ${Object.keys(MODELS).join(',')} or all (default ${DEFAULT_MODELS.join(',')})
  --backends LIST   wasm,webgpu,webgl (default wasm)
  --engines LIST    webdnn,ort (default both)
  --threads T       wasm threads of the threaded rows; wasm rows also run with 1 (default 2)
  --runs N          timed runs after the first (default per model: 10, VGG16 3, style_transfer 5)
  --quick           3 runs, fewer where a pair's runs take over ${QUICK_SECONDS} s (CI)
  --out DIR         where the JSON and the chart go (default bench/results)
  --build DIR       build folder with webdnn-convert and webdnn-js (default build)
  --cache DIR       filled and converted models (default bench/.cache)
  --seed N          seed of the input values (default 1)
  --timeout S       give up on one load or run after S seconds (default 900)
  --convert-args S  extra webdnn-convert options for every WebDNN row (e.g. "--optimize 0")
  --rows LIST       exactly these rows, as model:backend[:threads] (both engines each)
  --baseline FILE   compare each ratio ours/onnxruntime-web with FILE; more than ${'30%'} worse fails
  --write-baseline FILE  write this run's ratios to FILE
  --ci              the CI regression check: --rows ${CI_ROWS}
                    --quick --baseline bench/baseline.json`;

function parseArgs(argv) {
  const o = { models: DEFAULT_MODELS, backends: ['wasm'], engines: ['webdnn', 'ort'], threads: 2, runs: null, quick: false,
    out: path.join(HERE, 'results'), build: path.join(REPO, 'build'), cache: path.join(HERE, '.cache'), seed: 1, timeout: 900 };
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
    else if (a === '--backends') o.backends = list(v());
    else if (a === '--engines') o.engines = list(v());
    else if (a === '--threads') o.threads = Math.max(1, number(a, v()));
    else if (a === '--runs') o.runs = Math.max(1, number(a, v()));
    else if (a === '--quick') o.quick = true;
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--build') o.build = path.resolve(v());
    else if (a === '--cache') o.cache = path.resolve(v());
    else if (a === '--seed') o.seed = number(a, v());
    else if (a === '--timeout') o.timeout = number(a, v());
    else if (a === '--rows') o.rows = list(v());
    else if (a === '--convert-args') o.convertArgs = v().split(/\s+/).filter(Boolean);
    else if (a === '--baseline') o.baseline = path.resolve(v());
    else if (a === '--write-baseline') o.writeBaseline = path.resolve(v());
    else if (a === '--ci') {
      o.rows = list(CI_ROWS);
      o.quick = true;
      o.ci = true;
      o.baseline ??= path.join(HERE, 'baseline.json');
    }
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option '${a}'`);
  }
  if (o.rows) {
    o.rows = o.rows.map((r) => {
      const [model, backend, threads] = r.split(':');
      return { model, backend, threads: threads ? number('--rows', threads) : backend === 'wasm' ? o.threads : 1 };
    });
    o.models = [...new Set(o.rows.map((r) => r.model))];
    o.backends = [...new Set(o.rows.map((r) => r.backend))];
  }
  const unknown = o.models.filter((m) => !MODELS[m]);
  if (unknown.length) throw new Error(`unknown model ${unknown.join(', ')}; known: ${Object.keys(MODELS).join(', ')}`);
  const badBackend = o.backends.filter((b) => !['wasm', 'webgpu', 'webgl'].includes(b));
  if (badBackend.length) throw new Error(`unknown backend ${badBackend.join(', ')}; known: wasm, webgpu, webgl`);
  const badEngine = o.engines.filter((e) => !ENGINE_NAMES[e]);
  if (badEngine.length) throw new Error(`unknown engine ${badEngine.join(', ')}; known: webdnn, ort`);
  return o;
}

// A row is one (model, backend, threads, engine). The wasm backends run single-threaded and with
// T threads; the GPU backends once, with one CPU thread for whatever either engine keeps there.
function plan(models, o) {
  const rows = [];
  if (o.rows) {
    for (const r of o.rows) for (const engine of o.engines) rows.push({ ...r, engine });
    return rows;
  }
  for (const model of models) {
    for (const backend of o.backends) {
      const threads = backend === 'wasm' ? [...new Set([1, o.threads])] : [1];
      for (const t of threads) for (const engine of o.engines) rows.push({ model: model.name, engine, backend, threads: t });
    }
  }
  return rows;
}

// Consecutive rows of the same model, backend and threads: the engines measured side by side.
function groups(rows) {
  const out = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last && last[0].model === row.model && last[0].backend === row.backend && last[0].threads === row.threads) last.push(row);
    else out.push([row]);
  }
  return out;
}

function runsFor(model, o) {
  if (o.runs !== null) return o.runs;
  return o.quick ? Math.min(model.runs, model.quickRuns ?? 3) : model.runs;
}

// The served site: the cache itself, with the JS package, onnxruntime-web and the page linked in,
// so one origin serves everything (cross-origin isolation forbids mixing origins freely).
function linkSite(o) {
  const links = { webdnn: path.join(o.build, 'webdnn-js'), ort: path.join(REPO, 'node_modules', 'onnxruntime-web', 'dist'), page: path.join(HERE, 'page') };
  for (const [name, target] of Object.entries(links)) {
    if (!fs.existsSync(target)) throw new Error(`${target} is missing (build the project, and run npm ci)`);
    const link = path.join(o.cache, name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
  }
}

const url = (o, file) => `/${path.relative(o.cache, file).split(path.sep).map(encodeURIComponent).join('/')}`;

function withTimeout(promise, seconds, what) {
  let timer;
  const limit = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Measures the rows of one (model, backend, threads), each engine in a page of its own: every page
// loads and runs once, then the timed runs alternate between the pages, so that a machine that is
// busy for a while slows both engines alike and leaves their ratio alone.
// entries: [{ row, config }]; returns one result per entry, in order.
// With `newShapes` (a model with free dimensions: a list of shapes), the pages then move to inputs
// of each shape in turn: the first run there is timed apart, then a few more, alternating again;
// result.newShape has the medians over the shapes of the first runs, of the steady runs and of
// their ratio per shape.
async function measureGroup(browser, server, entries, runs, o, newShapes) {
  const call = (page, what, arg) => withTimeout(page.evaluate(async ([w, a]) => (await import('/page/measure.mjs'))[w](a), [what, arg]),
    o.timeout, what === 'open' ? 'loading' : 'a run');
  const failure = (row, page, { error, unavailable = false }) => ({ ...row, status: unavailable ? 'unavailable' : 'error', error, console: page.messages });
  const thrown = (e) => ({ error: e.message.split('\n')[0] });
  const results = [], open = [];
  try {
    for (const { row, config } of entries) {
      const page = await openPage(browser, `${server.url}/page/index.html`);
      let r;
      try {
        r = await call(page, 'open', config);
      } catch (e) {
        r = thrown(e);
      }
      if (r.ok) {
        const result = { ...row, status: 'ok', load: r.load, first: r.first, firstRun: r.firstRun, times: [], info: r.info, outputs: r.outputs };
        results.push(result);
        open.push({ page, result });
      } else {
        results.push(failure(row, page, r));
        await page.close();
      }
    }
    const alternate = async (times, what = 'runOnce', arg = undefined) => {
      for (const { page, result } of open.filter((x) => x.result.status === 'ok')) {
        try {
          times(result).push(await call(page, what, arg));
        } catch (e) {
          Object.assign(result, failure(result, page, thrown(e)));
        }
      }
    };
    // --quick: the rounds stop once they took QUICK_SECONDS (one round at least), so that a slow
    // pair costs CI one or two rounds (onnxruntime-web's MobileNetV2 on SwiftShader's WebGPU: 9 s a
    // run; the others' pairs take 4 s at most).
    const began = Date.now();
    for (let i = 0; i < runs; i++) {
      await alternate((r) => r.times);
      if (o.quick && Date.now() - began > QUICK_SECONDS * 1000) break;
    }
    if (newShapes) {
      for (const { result } of open) result.newShape = { shapes: newShapes, at: [] };
      const now = (r) => r.newShape.at[r.newShape.at.length - 1];
      for (const shapes of newShapes) {
        for (const { result } of open) result.newShape.at.push({ first: [], times: [] });
        await alternate((r) => now(r).first, 'atShapes', shapes);
        for (let i = 0; i < Math.max(3, Math.ceil(runs / newShapes.length)); i++) await alternate((r) => now(r).times);
      }
    }
  } finally {
    for (const { page } of open) {
      await call(page, 'close').catch(() => {});
      await page.close();
    }
  }
  for (const r of results) {
    if (r.status !== 'ok') continue;
    Object.assign(r, { median: median(r.times), min: Math.min(...r.times) });
    if (r.newShape) {
      const at = r.newShape.at.map((a) => ({ first: a.first[0], median: median(a.times) }));
      Object.assign(r.newShape, { at, first: median(at.map((a) => a.first)), median: median(at.map((a) => a.median)),
        ratio: median(at.map((a) => a.first / a.median)) });
    }
  }
  return results;
}

// What keeping free dimensions costs: each WebDNN row of a model converted with them gets
// freeCost, its median over that of the same model converted for the shape it ran at (`twin`).
function twin(rows, model) {
  for (const row of rows.filter((r) => r.model === model.name && r.engine === 'webdnn' && r.status === 'ok')) {
    const pinned = rows.find((r) => r.model === model.twin && r.engine === 'webdnn' && r.status === 'ok' &&
      r.backend === row.backend && r.threads === row.threads);
    if (pinned) row.freeCost = row.median / pinned.median;
  }
}

function gitVersion() {
  try {
    const head = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '-uno'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const log = (line) => console.error(line);
  const converter = path.join(o.build, 'webdnn-convert');
  if (o.engines.includes('webdnn') && !fs.existsSync(converter)) throw new Error(`${converter} is missing: build first (or pass --build DIR)`);
  fs.mkdirSync(o.cache, { recursive: true });
  const context = { repo: REPO, shared: path.join(REPO, '..', 'shared'), cache: o.cache, converter, log, extra: o.convertArgs ?? [] };

  const models = o.models.map((name) => prepareOnnx(name, context));
  const converted = {};  // "model backend" -> folder, or the Error of its conversion
  if (o.engines.includes('webdnn')) {
    // Only the pairs some row runs (the CI rows want VGG16 on wasm alone).
    const wanted = (model, backend) => !o.rows || o.rows.some((r) => r.model === model.name && r.backend === backend);
    for (const model of models) {
      for (const backend of o.backends.filter((b) => wanted(model, b))) {
        try {
          converted[`${model.name} ${backend}`] = convert(model, backend, context);
        } catch (e) {
          converted[`${model.name} ${backend}`] = e;
        }
      }
    }
  }
  linkSite(o);

  const server = await serve({ root: o.cache, isolate: true });
  const browser = await launch();
  const startLoad = os.loadavg()[0];
  const rows = [];
  let regressed = false;
  try {
    // This first page also pays for starting the browser's processes, so that no row does.
    const probe = await openPage(browser, `${server.url}/page/index.html`);
    const browserHas = await probe.evaluate(async () => (await import('/page/measure.mjs')).capabilities());
    await probe.close();
    if (!browserHas.isolated) throw new Error('the benchmark page is not cross-origin isolated, so wasm threads cannot run');
    // One group: the rows of one (model, backend, threads), an engine each.
    const measure = async (group) => {
      const model = models.find((m) => m.name === group[0].model);
      const dir = converted[`${model.name} ${group[0].backend}`];
      const settled = new Map(), entries = [];
      for (const row of group) {
        if (row.backend !== 'wasm' && !browserHas[row.backend]) {
          settled.set(row, { ...row, status: 'unavailable', error: `this Chromium has no ${row.backend === 'webgl' ? 'WebGL2' : 'WebGPU adapter'}` });
        } else if (row.engine === 'webdnn' && dir instanceof Error) {
          settled.set(row, { ...row, status: dir.unavailable ? 'unavailable' : 'error', error: dir.message });
        } else {
          entries.push({ row, config: { ...row, seed: o.seed,
            model: { onnx: url(o, model.onnx), webdnn: row.engine === 'webdnn' ? url(o, dir) : null, inputs: model.inputs } } });
        }
      }
      const measured = await measureGroup(browser, server, entries, runsFor(model, o), o, model.newShapes);
      const results = group.map((row) => settled.get(row) ?? measured.shift());
      for (const r of results) {
        const label = `${r.model} ${ENGINE_NAMES[r.engine]} ${r.backend} ${r.threads}T`;
        log(r.status === 'ok' ? `${label}: load ${ms(r.load)} ms, first ${ms(r.first)} ms, median ${ms(r.median)} ms`
          : `${label}: ${r.status}: ${r.error}`);
      }
      return results;
    };
    for (const group of groups(plan(models, o))) rows.push(...await measure(group));
    analyse(rows, TOLERANCES);
    for (const model of models.filter((m) => m.twin)) twin(rows, model);

    const info = { date: new Date().toISOString(), webdnn: gitVersion(), build: o.build, chromium: browser.version(),
      node: process.version, onnxruntimeWeb: JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version,
      cpus: os.cpus().length, webgpu: browserHas.webgpu, loadAverage: { start: startLoad, end: os.loadavg()[0] }, seed: o.seed, threads: o.threads };
    const title = `WebDNN vs onnxruntime-web ${info.onnxruntimeWeb}, median ms per run (log scale); Chromium ${info.chromium}, ${info.cpus} CPUs`;
    const subtitle = `WebDNN ${info.webdnn}; load average ${startLoad.toFixed(1)} at start, ${info.loadAverage.end.toFixed(1)} at end`;
    console.log(`\n${title}\n${subtitle}\n`);
    console.log(table(rows));
    const free = freeTable(rows);
    if (free) console.log(`\nFree dimensions (see bench/README.md):\n${free}`);
    const loads = loadTable(rows);
    if (loads) console.log(`\nWebDNN load split, ms (the parts overlap; see bench/README.md):\n${loads}`);

    fs.mkdirSync(o.out, { recursive: true });
    // Written now and again after each re-measure below, which can take minutes.
    const save = (extra = {}) => fs.writeFileSync(path.join(o.out, 'bench.json'), `${JSON.stringify({ info, options: o, rows, ...extra }, null, 1)}\n`);
    save();
    const svg = chart(rows, title, subtitle);
    fs.writeFileSync(path.join(o.out, 'bench.svg'), svg);
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
    await page.locator('svg').screenshot({ path: path.join(o.out, 'bench.png') });
    await page.close();
    console.log(`\nwrote ${path.join(o.out, 'bench.json')}, bench.png and bench.svg`);
    if (o.writeBaseline) {
      writeBaseline(o.writeBaseline, rows, info);
      console.log(`wrote the baseline ${o.writeBaseline}`);
    }
    if (o.baseline) {
      // A slow pair on a shared machine is more often a busy spell than a regression: the pairs
      // over the limit are measured again after a pause, up to twice, and fail only if they stay over.
      const rounds = [];
      let verdict = compare(o.baseline, rows);
      while (verdict.over.length && rounds.length < REMEASURE.rounds) {
        console.log(`\nover the limit: ${verdict.over.join(', ')}; measuring again in ${REMEASURE.pause} s`);
        await new Promise((resolve) => setTimeout(resolve, REMEASURE.pause * 1000));
        const again = [];
        for (const group of groups(rows.filter((x) => verdict.over.map(rowOfKey).includes(rowKey(x))))) {
          again.push(...await measure(group.map((r) => ({ model: r.model, engine: r.engine, backend: r.backend, threads: r.threads }))));
        }
        analyse(again, TOLERANCES);
        console.log(table(again));
        rounds.push(again);
        save({ remeasured: rounds });
        verdict = compare(o.baseline, rows, rounds);
      }
      console.log(`\nagainst the baseline ${path.relative(REPO, o.baseline)}:\n${verdict.lines.join('\n')}`);
      if (verdict.failed) regressed = true;
    }
  } finally {
    await browser.close();
    server.close();
  }
  // onnxruntime-web's GPU providers lack some ops these models use (webgl: MaxPool with ceil_mode):
  // reported, but not a failure of the benchmark.
  const failed = rows.filter((r) => r.status === 'error' && !(r.engine === 'ort' && r.backend !== 'wasm'));
  const differ = rows.filter((r) => r.check?.ok === false);
  if (differ.length) console.log(`outputs differ from onnxruntime-web's on: ${differ.map((r) => `${r.model} ${r.engine} ${r.backend} ${r.threads}T`).join(', ')}`);
  // In CI the check is a test too: the browser tests leave ResNet50 on wasm and WebGL to it.
  if (failed.length || regressed || (o.ci && differ.some((r) => r.engine === 'webdnn'))) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench/run.mjs: ${e.message}`);
  process.exitCode = 2;
});
