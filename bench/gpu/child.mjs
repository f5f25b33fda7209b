// One model of the GPU benchmark, in a process of its own (bench/gpu/run.mjs starts it): loads
// WebDNN's webgpu backend and onnxruntime-web's WebGPU EP on the same Dawn adapter, runs each
// once, then alternates their timed runs; takes WebDNN's per-dispatch profile; and runs
// onnxruntime-web's CPU (wasm) EP once as the reference the outputs are checked against.
// Prints one line 'RESULT {json}' (the rows of bench/run.mjs, ratios and checks made, outputs
// dropped) and then waits to be killed (see run.mjs for why).
//
// usage: node child.mjs CONFIG.json   (written by run.mjs: dawn, lib, model, runs, warmup, seed, profile)
import fs from 'node:fs';
import { openDawn } from './dawn.mjs';
import { openSession } from '../page/measure.mjs';
import { analyse, median } from '../report.mjs';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const say = (line) => process.stderr.write(`${config.model.name}: ${line}\n`);

async function main() {
  const { skip } = await openDawn(config.dawn.dir, config.dawn.options);
  if (skip) throw new Error(skip);
  const lib = { ...config.lib, ortWasmBinary: new Uint8Array(fs.readFileSync(config.lib.ortWasmFile)) };
  const model = { ...config.model, onnxBytes: new Uint8Array(fs.readFileSync(config.model.onnx)) };
  const base = { seed: config.seed, threads: 1, lib, model, webdnnOptions: config.webdnnOptions };
  const rows = config.engines.map((engine) => ({ model: model.name, engine, backend: 'webgpu', threads: 1 }));

  const open = [];
  const results = [];
  for (const row of rows) {
    say(`loading ${row.engine}`);
    const s = await openSession({ ...base, engine: row.engine, backend: row.backend });
    const r = s.result;
    if (r.ok) {
      results.push({ ...row, status: 'ok', load: r.load, first: r.first, firstRun: r.firstRun, times: [], info: r.info, outputs: r.outputs });
      open.push({ session: s, result: results.at(-1) });
    } else {
      results.push({ ...row, status: r.unavailable ? 'unavailable' : 'error', error: r.error });
    }
  }
  // Warm-up runs (the GPU's clocks rise under load), then the timed runs: all of one engine's,
  // then the other's, since two devices taking turns on one GPU slow each other down; with
  // config.alternate the engines take turns run by run instead, as in bench/run.mjs.
  const runOnce = async ({ session, result }, timed) => {
    if (result.status !== 'ok') return;
    try {
      const ms = await session.runOnce();
      if (timed) result.times.push(ms);
    } catch (e) {
      Object.assign(result, { status: 'error', error: String(e?.message ?? e) });
    }
  };
  const turns = config.alternate ? [open] : open.map((x) => [x]);
  for (const group of turns) {
    for (let i = 0; i < config.warmup + config.runs; i++) for (const x of group) await runOnce(x, i >= config.warmup);
  }
  for (const { session, result } of open) {
    if (config.profile && session.profile && result.status === 'ok') {
      say(`profiling ${result.engine}`);
      try {
        result.profile = await session.profile({ repeat: config.profile });
      } catch (e) {
        result.profileError = String(e?.message ?? e);
      }
    }
    await session.close();
  }
  // The reference: onnxruntime-web's CPU EP from the same bundle (one module instance), one run.
  say('reference (onnxruntime-web wasm)');
  const ref = await openSession({ ...base, engine: 'ort', backend: 'wasm' });
  const row = { model: model.name, engine: 'ort', backend: 'wasm', threads: 1 };
  if (ref.result.ok) {
    results.push({ ...row, status: 'ok', reference: true, load: ref.result.load, first: ref.result.first, firstRun: ref.result.firstRun,
      times: [], info: ref.result.info, outputs: ref.result.outputs });
  } else {
    results.push({ ...row, status: 'error', reference: true, error: ref.result.error });
  }
  await ref.close();
  for (const r of results) if (r.status === 'ok' && r.times.length) Object.assign(r, { median: median(r.times), min: Math.min(...r.times) });
  // Ratios and the check against the reference here, so that the outputs need not travel.
  return analyse(results);
}

let out;
try {
  out = { rows: await main() };
} catch (e) {
  out = { error: String(e?.stack ?? e) };
}
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
