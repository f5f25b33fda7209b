// The verdict on one output: values within tolerance of onnxruntime's, and for classifier-shaped
// outputs the same arg-max class in every row.

import { halfToFloat } from '../../runtime/js/half.mjs';

export const REL_TOL = 1e-4;
export const ABS_TOL = 1e-5;
export const HALF_REL_TOL = 2.5e-3;

// float16 values travel as their bits (onnxruntime-node's and .npy's Uint16Array).
const toNumbers = (data, type) => (type === 'float16' ? Float64Array.from(data, halfToFloat)
  : data instanceof BigInt64Array ? Float64Array.from(data, Number) : data);
const fmt = (x) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

// [1,1000] (ImageNet) or [N,10] (digits) outputs are class scores.
export const isClassifier = (shape) => shape.length === 2 && (shape[1] === 1000 || shape[1] === 10);

export function argmaxRows(data, shape) {
  const [rows, k] = shape;
  const out = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let i = 1; i < k; i++) if (data[r * k + i] > data[r * k + best]) best = i;
    out.push(best);
  }
  return out;
}

// Returns { ok, line, problems[] }. `tolerance` ({rel, abs}) replaces REL_TOL and ABS_TOL (the GPU
// backends compute in f32 with other summation orders: 1e-3 and 1e-4); `classes: false` skips the
// arg-max check (float16 outputs against a float32 oracle: class scores below float16's range);
// `gap`: a classifier row may pick another class whose reference score is within `gap` of the best
// (quantized scores tie).
export function compareOutput(name, ours, ref, { rel = REL_TOL, abs = ABS_TOL, classes = true, gap: allowedGap = 0 } = {}) {
  // A float16 output: onnxruntime computes in float16, rounding after every operator, WebDNN in
  // float32, rounding once at the end; a float16 step is 2^-10 of the value (9.8e-4), and the two
  // may end a step or two apart (BERT-tiny fp16: 1.3e-3 of its largest output).
  if (ref.type === 'float16') rel = Math.max(rel, HALF_REL_TOL);
  const problems = [];
  const head = `${name} ${ref.type} [${ref.shape.join(',')}]`;
  if (ours.shape.join(',') !== ref.shape.join(',')) {
    problems.push(`shape: ours [${ours.shape.join(',')}], onnxruntime [${ref.shape.join(',')}]`);
    return { ok: false, line: `${head}  FAIL`, problems };
  }
  // Bool and int outputs compare by value; float vs int is a real disagreement.
  const floatish = (t) => t === 'float32' || t === 'float64' || t === 'float16';
  if (floatish(ours.type) !== floatish(ref.type)) problems.push(`dtype: ours ${ours.type}, onnxruntime ${ref.type}`);
  const a = toNumbers(ours.data, ours.type), b = toNumbers(ref.data, ref.type);
  let maxRef = 0, maxDiff = 0, worst = -1, nonFinite = 0, badNonFinite = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) maxRef = Math.max(maxRef, Math.abs(b[i]));
  const tol = rel * maxRef + abs;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i])) {  // NaN or inf in the reference: ours must be the same
      nonFinite++;
      if (!Object.is(a[i], b[i])) badNonFinite++;
      continue;
    }
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxDiff)) {  // also catches NaN in ours
      maxDiff = Number.isNaN(d) ? NaN : d;
      worst = i;
      if (Number.isNaN(d)) break;
    }
  }
  let line = `${head}  max|diff| ${fmt(maxDiff)}  max|ref| ${fmt(maxRef)}  tol ${fmt(tol)}`;
  if (!(maxDiff <= tol)) {
    problems.push(`values: max|diff| ${fmt(maxDiff)} > tol ${fmt(tol)} at flat index ${worst}` +
      ` (ours ${a[worst]}, onnxruntime ${b[worst]})`);
  }
  if (nonFinite) line += `  (${nonFinite} non-finite in reference)`;
  if (badNonFinite) problems.push(`${badNonFinite} of ${nonFinite} non-finite reference values differ in ours`);
  if (classes && isClassifier(ref.shape) && floatish(ref.type)) {
    const oa = argmaxRows(a, ref.shape), ra = argmaxRows(b, ref.shape);
    const k = ref.shape[1];
    const diffRows = oa.map((c, r) => (c === ra[r] || b[r * k + ra[r]] - b[r * k + c] <= allowedGap ? -1 : r)).filter((r) => r >= 0);
    line += `  argmax ${oa.length === 1 ? `ours ${oa[0]} ref ${ra[0]}` : `${oa.length - diffRows.length}/${oa.length} rows agree`}`;
    for (const r of diffRows) {
      const gap = b[r * k + ra[r]] - b[r * k + oa[r]];
      problems.push(`argmax row ${r}: ours ${oa[r]}, onnxruntime ${ra[r]} (reference gap ${fmt(gap)})`);
    }
  }
  return { ok: problems.length === 0, line: `${line}  ${problems.length ? 'FAIL' : 'ok'}`, problems };
}
