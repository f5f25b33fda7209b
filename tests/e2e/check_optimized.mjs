#!/usr/bin/env node
// What the optimizer must achieve on whole models, read from what webdnn-convert wrote:
//   --no-batchnorm-or-standalone-elementwise  no BatchNormalization kernel and no Elementwise
//       kernel remain (every Relu and residual Add went into a Conv epilogue), as in ResNet50
//   --arena-within RATIO   the planned arena is at most RATIO times the lower bound (report.json)
// usage: check_optimized.mjs MODEL.onnx --convert PATH [checks...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const model = args[0];
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const convert = opt('--convert');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-optimized-'));
const failures = [];
try {
  const r = spawnSync(convert, [model, '-o', out, '--backend', 'wasm', '--report'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`webdnn-convert failed:\n${r.stderr}`);
  console.log(r.stdout.trim());
  const descriptor = JSON.parse(fs.readFileSync(path.join(out, 'graph-wasm.json'), 'utf8'));
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).backends[0];
  if (args.includes('--no-batchnorm-or-standalone-elementwise')) {
    // Backend kernels are named '<backend>.<Op>' (wasm.Conv); the op type is the last part.
    const kind = (k) => k.kernel.split('.').pop();
    const kinds = descriptor.kernels.map(kind);
    for (const bad of ['BatchNormalization', 'Elementwise']) {
      const n = kinds.filter((k) => k === bad).length;
      if (n) failures.push(`${n} ${bad} kernel(s) remain: ${descriptor.kernels.filter((k) => kind(k) === bad).map((k) => k.op).join(', ')}`);
    }
    const convs = descriptor.kernels.filter((k) => kind(k) === 'Conv');
    if (!convs.some((k) => k.params.epilogue)) failures.push('no Conv carries an epilogue');
  }
  const ratio = opt('--arena-within');
  if (ratio) {
    const got = report.arena_bytes / report.lower_bound_bytes;
    console.log(`arena ${report.arena_bytes} bytes, lower bound ${report.lower_bound_bytes}: ratio ${got.toFixed(3)} (limit ${ratio})`);
    if (!(got <= Number(ratio))) failures.push(`arena is ${got.toFixed(3)} times the lower bound, more than ${ratio}`);
  }
} catch (e) {
  failures.push(e.message);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
for (const f of failures) console.error(`FAIL ${path.basename(model)}: ${f}`);
process.exit(failures.length ? 1 : 0);
