// Regression check for CI: the ratio ours / onnxruntime-web measured in one run, per row, against
// a committed baseline. Absolute times on shared machines are noisy; the ratio of two engines
// measured side by side in the same browser is much less so.
import fs from 'node:fs';

export const CI_ROWS = 'resnet50:wasm:1,resnet50:webgpu,resnet50:webgl,vgg16:wasm:1';
// A ratio more than this much worse than the baseline fails the check.
export const TOLERANCE = 1.3;

const key = (r) => `${r.model} ${r.backend} ${r.threads}T`;

// Ratios of WebDNN rows that have an onnxruntime-web pair: {"resnet50 wasm 1T": 0.61, ...}.
export function ratios(rows) {
  const out = {};
  for (const r of rows) if (r.engine === 'webdnn' && r.status === 'ok' && r.ratio) out[key(r)] = r.ratio.median;
  return out;
}

export function writeBaseline(file, rows, info) {
  const data = { note: 'median time ratio WebDNN / onnxruntime-web per row; update with: node bench/run.mjs --ci --write-baseline bench/baseline.json',
    measured: { date: info.date, webdnn: info.webdnn, chromium: info.chromium, onnxruntimeWeb: info.onnxruntimeWeb, loadAverage: info.loadAverage },
    ratios: ratios(rows) };
  fs.writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
}

// Lines describing each row against the baseline, and whether any row regressed (or is missing).
export function compare(file, rows) {
  const base = JSON.parse(fs.readFileSync(file, 'utf8')).ratios;
  const now = ratios(rows);
  const lines = [];
  let failed = false;
  for (const [row, was] of Object.entries(base)) {
    const is = now[row];
    if (is === undefined) {
      const r = rows.find((x) => x.engine === 'webdnn' && key(x) === row);
      lines.push(`FAIL ${row}: no ratio measured (${r ? `${r.status}: ${r.error ?? 'no onnxruntime-web pair'}` : 'row not run'})`);
      failed = true;
      continue;
    }
    const worse = is > was * TOLERANCE;
    failed ||= worse;
    lines.push(`${worse ? 'FAIL' : 'ok  '} ${row}: ratio ${is.toFixed(2)}, baseline ${was.toFixed(2)} (limit ${(was * TOLERANCE).toFixed(2)})`);
  }
  for (const row of Object.keys(now)) if (!(row in base)) lines.push(`new  ${row}: ratio ${now[row].toFixed(2)} (not in the baseline)`);
  return { lines, failed };
}
