// RefCache (runtime/js/ref_cache.mjs), what the GPU runners of a model's shapes share: a value made
// once per key, kept while some runner holds it, discarded when the last one gives it back; a
// holder gives back all its runner took at once.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { PACKAGE } from './support.mjs';

const { RefCache } = await import(path.join(PACKAGE, 'ref_cache.mjs'));

test('a value is made once per key and discarded when its last user releases it', () => {
  const discarded = [];
  const cache = new RefCache((v) => discarded.push(v.name));
  let made = 0;
  const make = (name) => () => ({ name, n: ++made, bytes: 10 });
  const a = cache.take('k', make('a'));
  assert.equal(cache.take('k', make('b')), a);
  assert.equal(made, 1);
  assert.equal(cache.keptBytes(), 10);
  cache.release('k', a);
  assert.deepEqual(discarded, []);
  cache.release('k', a);
  assert.deepEqual(discarded, ['a']);
  assert.equal(cache.size, 0);
});

test('a holder releases what it took, once, and only its own share', () => {
  const discarded = [];
  const cache = new RefCache((v) => discarded.push(v));
  const first = cache.holder(), second = cache.holder();
  first.take('x', () => 'X');
  first.take('y', () => 'Y');
  second.take('x', () => 'other X');  // the kept one
  first.release();
  assert.deepEqual(discarded, ['Y']);  // x is still held by the second runner
  first.release();  // nothing more to give back
  assert.deepEqual(discarded, ['Y']);
  assert.equal(cache.get('x'), 'X');
  second.release();
  assert.deepEqual(discarded, ['Y', 'X']);
  assert.equal(cache.size, 0);
});
