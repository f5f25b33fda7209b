// Turning measured rows into the comparison: ratios, the agreement check, the text table and the
// SVG chart.

export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const argmax = (data) => data.reduce((best, v, i) => (v > data[best] ? i : best), 0);

// How far `got` is from `ref`: the largest difference relative to the largest reference value
// (at most `tolerance`), and for classifier-like outputs ([1, K]) whether the top class is the same.
export function compareOutputs(ref, got, tolerance = 1e-3) {
  const refNames = Object.keys(ref), gotNames = Object.keys(got);
  if (refNames.length !== gotNames.length) return { ok: false, text: `${gotNames.length} outputs, reference has ${refNames.length}` };
  let worst = 0, top = null;
  for (const [i, name] of refNames.entries()) {
    const a = ref[name], b = got[name] ?? got[gotNames[i]];  // converters may rename outputs
    if (a.data.length !== b.data.length) return { ok: false, text: `${name}: ${b.data.length} values, reference has ${a.data.length}` };
    let scale = 0, diff = 0;
    for (let j = 0; j < a.data.length; j++) {
      scale = Math.max(scale, Math.abs(a.data[j]));
      const d = Math.abs(a.data[j] - b.data[j]);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    }
    worst = Math.max(worst, diff / (scale || 1));
    const classes = a.shape.length === 2 && a.shape[0] === 1 && a.shape[1] > 1;
    if (classes) top = (top ?? true) && argmax(a.data) === argmax(b.data);
  }
  const ok = worst <= tolerance && top !== false;
  const parts = [ok ? 'ok' : 'DIFFERS', `rel ${worst.toExponential(0)}`];
  if (top !== null) parts.push(top ? 'top1 same' : 'top1 differs');
  return { ok, relDiff: worst, top1Same: top, text: parts.join(' ') };
}

const same = (a, b) => a.model === b.model && a.backend === b.backend && a.threads === b.threads;

// Adds row.ratio (WebDNN over onnxruntime-web, same model/backend/threads) and row.check (each
// output against onnxruntime-web's wasm result, the reference). Drops the raw outputs.
// `tolerances`: the relative difference a model's outputs may show (models.mjs), 1e-3 otherwise.
export function analyse(rows, tolerances = {}) {
  for (const row of rows) {
    if (row.status !== 'ok') continue;
    if (row.engine === 'webdnn') {
      const other = rows.find((r) => r.engine === 'ort' && r.status === 'ok' && same(r, row));
      if (other) row.ratio = Object.fromEntries(['load', 'first', 'median', 'min'].map((k) => [k, row[k] / other[k]]));
    }
    const refs = rows.filter((r) => r.model === row.model && r.engine === 'ort' && r.status === 'ok' && r.outputs);
    const ref = refs.find((r) => r.backend === 'wasm' && r.threads === 1) ?? refs.find((r) => r.backend === 'wasm') ?? refs[0];
    if (ref === row) row.check = { ok: true, text: 'reference' };
    else if (ref) row.check = compareOutputs(ref.outputs, row.outputs, tolerances[row.model]);
    else row.check = { ok: null, text: 'no reference' };
  }
  for (const row of rows) delete row.outputs;
  return rows;
}

export const ENGINE_NAMES = { webdnn: 'WebDNN', ort: 'onnxruntime-web' };

export function ms(x) {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

const ratioText = (x) => (x === undefined ? '' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`);

export function table(rows) {
  const header = ['model', 'engine', 'backend', 'thr', 'load ms', 'first ms', 'median ms', 'min ms', 'runs', 'ours/ort median', 'ours/ort first', 'check'];
  const lines = rows.map((r) => {
    const start = [r.model, ENGINE_NAMES[r.engine], r.backend, String(r.threads)];
    if (r.status !== 'ok') return [...start, `${r.status}: ${r.error}`];
    return [...start, ms(r.load), ms(r.first), ms(r.median), ms(r.min), String(r.times.length),
      ratioText(r.ratio?.median), ratioText(r.ratio?.first), r.check?.text ?? ''];
  });
  const numeric = new Set([3, 4, 5, 6, 7, 8, 9, 10]);
  const width = header.map((h, i) => Math.max(h.length, ...lines.filter((l) => l.length > i + 1).map((l) => l[i].length)));
  const format = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ');
  return [format(header), format(width.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

// Columns of text, numbers right-aligned: header and rows are arrays of strings.
export function columns(header, lines, numeric) {
  const width = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells) => cells.map((c, i) => (numeric.has(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  return [format(header), format(width.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

// Rows of models with free dimensions: the median at the shape they loaded with, over that of
// the same model converted for that shape (WebDNN only: onnxruntime-web converts nothing); then
// the first run at each new shape and the steady runs there, as medians over the shapes, and the
// median of their ratio per shape (the first run pays for planning memory for the new shapes,
// onnxruntime-web's for its own equivalent). The shapes column shows the first input's.
export function freeTable(rows) {
  const free = rows.filter((r) => r.status === 'ok' && r.newShape);
  if (!free.length) return '';
  const header = ['model', 'engine', 'backend', 'thr', 'median ms', 'vs pinned', 'new shapes', 'first ms', 'median ms', 'first/median'];
  const lines = free.map((r) => [r.model, ENGINE_NAMES[r.engine], r.backend, String(r.threads), ms(r.median),
    ratioText(r.freeCost), r.newShape.shapes.map((s) => `[${Object.values(s)[0]}]`).join(' '), ms(r.newShape.first),
    ms(r.newShape.median), ratioText(r.newShape.ratio)]);
  return columns(header, lines, new Set([3, 4, 5, 7, 8, 9]));
}

// Where the load time of WebDNN's webgpu rows goes (runner.loadTimes): the weights download, the
// device, the pipelines (how many) and the weights upload. The parts overlap, so they do not add
// up to the load; 'load' is the benchmark's own figure, the engine's JS included.
export function loadTable(rows) {
  const split = rows.filter((r) => r.status === 'ok' && r.info?.loadTimes);
  if (!split.length) return '';
  const header = ['model', 'engine', 'backend', 'load ms', 'download', 'device', 'pipelines', 'count', 'upload', 'kernels'];
  const lines = split.map((r) => {
    const t = r.info.loadTimes;
    return [r.model, ENGINE_NAMES[r.engine], r.backend, ms(r.load), ms(t.download), ms(t.device), ms(t.pipelines),
      String(r.info.pipelineCount ?? ''), ms(t.upload), r.info.kernels ?? ''];
  });
  return columns(header, lines, new Set([3, 4, 5, 6, 7, 8]));
}

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

// Horizontal bars of the median ms per row, grouped by model, on a log scale (the engines and
// backends differ by orders of magnitude).
export function chart(rows, title, subtitle) {
  const COLORS = { webdnn: '#2b6cb0', ort: '#dd6b20' };
  const W = 1000, left = 250, right = 210, barH = 16, gap = 4, groupGap = 18;
  const values = rows.filter((r) => r.status === 'ok').map((r) => r.median);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...values, 1e9)))), hi = Math.max(...values, lo * 10) * 1.05;
  const x = (v) => left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - left - right);
  const out = [];
  let y = 68;
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    out.push(`<text x="8" y="${y + 12}" font-weight="bold">${escape(model)}</text>`);
    y += 20;
    for (const r of rows.filter((row) => row.model === model)) {
      const label = `${ENGINE_NAMES[r.engine]} ${r.backend} ${r.threads}T`;
      out.push(`<text x="${left - 8}" y="${y + barH - 4}" text-anchor="end">${escape(label)}</text>`);
      if (r.status === 'ok') {
        const end = x(Math.max(r.median, lo));
        out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, end - left)}" height="${barH}" fill="${COLORS[r.engine]}"/>`);
        const ratio = r.ratio ? `  (ours/ort ${ratioText(r.ratio.median)})` : '';
        out.push(`<text x="${end + 6}" y="${y + barH - 4}">${ms(r.median)} ms${ratio}</text>`);
      } else {
        out.push(`<text x="${left + 6}" y="${y + barH - 4}" fill="#888">${escape(r.status)}</text>`);
      }
      y += barH + gap;
    }
    y += groupGap;
  }
  const axis = [];
  for (let v = lo; v <= hi; v *= 10) {
    axis.push(`<line x1="${x(v)}" y1="60" x2="${x(v)}" y2="${y - groupGap}" stroke="#ddd"/>`);
    axis.push(`<text x="${x(v)}" y="56" text-anchor="middle" fill="#555">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  const H = y + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="8" y="34" fill="#555">${escape(subtitle)}</text>`,
    ...axis, ...out, '</svg>',
  ].join('\n');
}
