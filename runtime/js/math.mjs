// Small helpers for reading results.

// Indices of the k largest values, largest first (ties: the lower index first).
export function argmax(array, k = 1) {
  return topk(array, k, (a, b) => b - a);
}

// Indices of the k smallest values, smallest first.
export function argmin(array, k = 1) {
  return topk(array, k, (a, b) => a - b);
}

function topk(array, k, compare) {
  const n = array.length;
  if (!(k >= 1)) throw new Error(`k must be at least 1, not ${k}`);
  const indices = Array.from({ length: n }, (_, i) => i);
  indices.sort((i, j) => compare(Number(array[i]), Number(array[j])) || i - j);
  return indices.slice(0, Math.min(k, n));
}
