// Regression check for CI: the ratio ours / onnxruntime-web measured in one run, per row, against
// a committed baseline. Absolute times on shared machines are noisy; the ratio of two engines
// measured side by side in the same browser is much less so.
import fs from 'node:fs';

// The GPU rows run MobileNetV2: on SwiftShader onnxruntime-web's ResNet50 took ~110 s of CI for
// its WebGPU row and ~50 s for its WebGL one, MobileNetV2 ~30 and ~10 (ResNet50 runs on WebGPU
// in the browser tests, browser.webgpu.model.resnet50).
export const CI_ROWS = 'resnet50:wasm:1,mobilenet_v2:webgpu,mobilenet_v2:webgl,vgg16:wasm:1,mlp_nbits:wasm:1,' +
  'whisper_tiny_encoder:wasm:1,bert_tiny_dyn:wasm:1,resnet50_qdq:wasm:1,vit_b16:wasm:1';
// A ratio more than this much worse than the baseline fails the check.
export const TOLERANCE = 1.3;
// Pairs over the limit are measured again, at most this many times, each after a pause (seconds).
export const REMEASURE = { rounds: 2, pause: 20 };

export const rowKey = (r) => `${r.model} ${r.backend} ${r.threads}T`;
// The row a ratio's key belongs to ("resnet50 webgpu 1T load" -> "resnet50 webgpu 1T").
export const rowOfKey = (key) => key.replace(/ load$/, '');

// WebGPU rows have their load time checked too: on SwiftShader it is mostly the compilation of
// the pipelines, which the generator's shader text decides (MobileNetV2 loaded in 9.3 s until the
// GEMM kernels stored their blocks by a loop instead of unrolled copies of the epilogue: 3.1 s).
const LOAD_CHECKED = ['webgpu'];

// Ratios of WebDNN rows that have an onnxruntime-web pair: {"resnet50 wasm 1T": 0.61,
// "resnet50 webgpu 1T load": 0.65, ...}.
export function ratios(rows) {
  const out = {};
  for (const r of rows) {
    if (r.engine !== 'webdnn' || r.status !== 'ok' || !r.ratio) continue;
    out[rowKey(r)] = r.ratio.median;
    if (LOAD_CHECKED.includes(r.backend)) out[`${rowKey(r)} load`] = r.ratio.load;
  }
  return out;
}

export function writeBaseline(file, rows, info) {
  const data = { note: 'median time ratio WebDNN / onnxruntime-web per row; update with: node bench/run.mjs --ci --write-baseline bench/baseline.json',
    measured: { date: info.date, webdnn: info.webdnn, chromium: info.chromium, onnxruntimeWeb: info.onnxruntimeWeb, loadAverage: info.loadAverage },
    ratios: ratios(rows) };
  fs.writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
}

// Lines describing each row against the baseline, whether any row regressed (or is missing), and
// which rows are still over the limit. `rounds` holds the later measurements of rows that were
// over it (an array of rows per round): a row passes as soon as one of them is within the limit.
export function compare(file, rows, rounds = []) {
  const base = JSON.parse(fs.readFileSync(file, 'utf8')).ratios;
  const now = ratios(rows), later = rounds.map(ratios);
  const lines = [], over = [];
  let failed = false;
  for (const [row, was] of Object.entries(base)) {
    const is = now[row], limit = was * TOLERANCE;
    if (is === undefined) {
      const r = rows.find((x) => x.engine === 'webdnn' && rowKey(x) === rowOfKey(row));
      lines.push(`FAIL ${row}: no ratio measured (${r ? `${r.status}: ${r.error ?? 'no onnxruntime-web pair'}` : 'row not run'})`);
      failed = true;
      continue;
    }
    let text = `ratio ${is.toFixed(2)}`, worse = is > limit;
    if (worse && rounds.length) {
      const again = later.map((r) => r[row]).filter((x) => x !== undefined);
      text += again.length ? `, measured again ${again.map((x) => x.toFixed(2)).join(', ')}` : ', no later ratio';
      worse = !again.some((x) => x <= limit);
    }
    if (worse) over.push(row);
    failed ||= worse;
    lines.push(`${worse ? 'FAIL' : 'ok  '} ${row}: ${text}, baseline ${was.toFixed(2)} (limit ${limit.toFixed(2)})`);
  }
  for (const row of Object.keys(now)) if (!(row in base)) lines.push(`new  ${row}: ratio ${now[row].toFixed(2)} (not in the baseline)`);
  return { lines, failed, over };
}
