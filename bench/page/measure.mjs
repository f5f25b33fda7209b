// Runs in the benchmark page: loads one model with one engine and backend, then times runs one
// at a time as bench/run.mjs asks. Every row gets a page of its own, so nothing (compiled wasm,
// GPU pipelines, memory) is shared between the engines; run.mjs alternates the runs of the two
// pages so that both meet the same machine.
import { ENGINES } from './engines.mjs';

// mulberry32: a tiny seeded generator, so every page builds bit-identical inputs.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Floats uniform in [lo, hi) (float32 values, also for float16 inputs); int64 inputs (token ids,
// masks) whole numbers in [lo, hi].
function makeInputs(inputs, seed) {
  return inputs.map((input, i) => {
    const next = random(seed + i * 7919);
    const [lo, hi] = input.range;
    const size = input.shape.reduce((a, b) => a * b, 1);
    if (input.dtype === 'int64') {
      return { ...input, data: BigInt64Array.from({ length: size }, () => BigInt(Math.min(hi, lo + Math.floor((hi - lo + 1) * next())))) };
    }
    const data = new Float32Array(size);
    for (let j = 0; j < data.length; j++) data[j] = lo + (hi - lo) * next();
    // float16 inputs keep their dtype: each engine gives them to its model as halves.
    return { ...input, dtype: input.dtype === 'float16' ? 'float16' : 'float32', data };
  });
}

// What this browser offers, asked once in a page of its own: asking inside a row would
// hand the engine an already started GPU adapter and hide that cost from its load time.
export async function capabilities() {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  return {
    isolated: globalThis.crossOriginIsolated === true,
    webgpu: adapter ? `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''}`.trim() || 'yes' : '',
    webgl: document.createElement('canvas').getContext('webgl2') ? 'yes' : '',
  };
}

// config: { engine, backend, threads, seed, model: { onnx, webdnn, inputs: [{name, shape, range}] }, lib? }
// Loads and runs once. Returns { result, runOnce, atShapes, profile, close }: result has the load and
// load-to-first-result times and the first outputs (or ok: false and the error); runOnce() times
// one more run in milliseconds. Node.js (bench/gpu) holds several sessions at once; the page one.
export async function openSession(config) {
  let session = null;
  const close = async () => {
    await session?.dispose?.();
    session = null;
  };
  try {
    let inputs = makeInputs(config.model.inputs, config.seed);
    const engine = ENGINES[config.engine];
    if (!engine) throw new Error(`unknown engine '${config.engine}'`);

    const start = performance.now();
    session = await engine.load(config);
    const loaded = performance.now();
    const first = await session.run(inputs);
    const firstDone = performance.now();
    const result = {
      ok: true,
      load: loaded - start,
      first: firstDone - start,
      firstRun: firstDone - loaded,
      info: session.info ?? {},
      // Plain arrays: they cross into Node.js through page.evaluate for the agreement check.
      outputs: Object.fromEntries(Object.entries(first).map(([name, o]) => [name, { shape: o.shape, data: Array.from(o.data, Number) }])),
    };
    const runOnce = async () => {
      const t = performance.now();
      await session.run(inputs);
      return performance.now() - t;
    };
    // Moves to inputs of other shapes ({name: shape}, for models with free dimensions) and
    // times the first run at them; runOnce() then runs at those.
    const atShapes = async (shapes) => {
      inputs = makeInputs(config.model.inputs.map((i) => ({ ...i, shape: shapes[i.name] ?? i.shape })), config.seed);
      return runOnce();
    };
    return { result, runOnce, atShapes, profile: session.profile, close };
  } catch (e) {
    await close().catch(() => {});
    return { result: { ok: false, unavailable: e?.unavailable === true, error: String(e?.message ?? e) }, close };
  }
}

// The page's one session, driven by bench/run.mjs through page.evaluate.
let current = null;

export async function open(config) {
  current = await openSession(config);
  return current.result;
}

export async function runOnce() {
  return current.runOnce();
}

export async function atShapes(shapes) {
  return current.atShapes(shapes);
}

export async function close() {
  await current?.close();
  current = null;
}
