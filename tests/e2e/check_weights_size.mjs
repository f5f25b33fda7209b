#!/usr/bin/env node
// The size of a model's wasm weights file for each `webdnn-convert --weights` coding against the
// bytes of its ONNX initializers (issue: fp32 no larger, fp16 0.52x, int8 0.27x, int4 0.15x), and
// what each coding costs as the converter reports it (printed, not judged: the e2e and label
// tests judge the outputs).
// usage: check_weights_size.mjs MODEL.onnx --convert PATH
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LIMITS = { fp32: 1.0, fp16: 0.52, int8: 0.27, int4: 0.15 };
const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';

const args = process.argv.slice(2);
const model = args[0];
const convert = args[args.indexOf('--convert') + 1];
if (!model || !convert || args.indexOf('--convert') < 0) {
  console.error('usage: check_weights_size.mjs MODEL.onnx --convert PATH');
  process.exit(2);
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r;
}

const initializers = Number(run(PYTHON, ['-c',
  'import onnx, sys; from onnx import numpy_helper as h; m = onnx.load(sys.argv[1]); ' +
  'print(sum(h.to_array(i).nbytes for i in m.graph.initializer))', model]).stdout.trim());
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-weights-size-'));
let failed = false;
try {
  for (const [coding, limit] of Object.entries(LIMITS)) {
    const out = path.join(dir, coding);
    const r = run(convert, [model, '-o', out, '--backend', 'wasm', '--weights', coding]);
    const size = fs.statSync(path.join(out, 'weights-wasm.bin.zst')).size;
    const ratio = size / initializers;
    const ok = ratio <= limit;
    failed ||= !ok;
    const cost = (r.stderr.match(/weights coded as [^\n]*/) || [''])[0];
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${coding}: ${size} bytes, ${ratio.toFixed(3)}x the ${initializers} bytes of ONNX ` +
      `initializers (limit ${limit}x)${cost ? `\n     ${cost}` : ''}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
