// WebDNN.Math.argmax / argmin against answers worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importWebDNN } from './support.mjs';

const { Math: M } = await importWebDNN();

test('argmax: the largest first, ties by the lower index', () => {
  const a = [0.5, 3, -1, 3, 2];
  assert.deepEqual(M.argmax(a), [1]);
  assert.deepEqual(M.argmax(a, 1), [1]);
  assert.deepEqual(M.argmax(a, 2), [1, 3]);
  assert.deepEqual(M.argmax(a, 4), [1, 3, 4, 0]);
});

test('argmax: k beyond the length gives every index', () => {
  assert.deepEqual(M.argmax([1, 7, 4], 10), [1, 2, 0]);
});

test('argmax: typed arrays, negative values, int64', () => {
  assert.deepEqual(M.argmax(Float32Array.of(-5, -2.5, -7, -2.25), 2), [3, 1]);
  assert.deepEqual(M.argmax(BigInt64Array.of(3n, -9n, 12n), 3), [2, 0, 1]);
  // A 1000-class row as a classifier gives it: the top-5 in order.
  const scores = new Float32Array(1000).fill(-1);
  Object.entries({ 17: 9, 423: 8.5, 999: 8, 0: 7, 512: 6.5, 3: 6 }).forEach(([i, v]) => { scores[i] = v; });
  assert.deepEqual(M.argmax(scores, 5), [17, 423, 999, 0, 512]);
});

test('argmin: the smallest first', () => {
  assert.deepEqual(M.argmin([4, -1, 9, -1, 0], 3), [1, 3, 4]);
});

test('argmax: k below 1 is refused', () => {
  assert.throws(() => M.argmax([1, 2], 0), { message: 'k must be at least 1, not 0' });
  assert.throws(() => M.argmax([1, 2], -3), /k must be at least 1/);
});
