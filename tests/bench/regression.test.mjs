// The CI regression check (bench/regression.mjs) on ratios worked out by hand: limit = 1.3 x baseline.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { compare } from '../../bench/regression.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-baseline-'));
const baseline = path.join(dir, 'baseline.json');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(baseline, JSON.stringify({ ratios: { 'resnet50 webgl 1T': 0.2, 'vgg16 wasm 1T': 0.5 } }));

// A measured pair as bench/run.mjs leaves it after analyse(): the ratio sits on the WebDNN row.
const pair = (model, backend, ratio) => [
  { model, backend, threads: 1, engine: 'webdnn', status: 'ok', ratio: { median: ratio } },
  { model, backend, threads: 1, engine: 'ort', status: 'ok' },
];

test('ratios within 30% of the baseline pass', () => {
  const v = compare(baseline, [...pair('resnet50', 'webgl', 0.25), ...pair('vgg16', 'wasm', 0.64)]);
  assert.equal(v.failed, false);
  assert.deepEqual(v.over, []);
  assert.match(v.lines[0], /^ok {3}resnet50 webgl 1T: ratio 0\.25, baseline 0\.20 \(limit 0\.26\)$/);
});

test('a ratio over the limit fails unless a later measurement is within it', () => {
  const rows = [...pair('resnet50', 'webgl', 0.27), ...pair('vgg16', 'wasm', 0.5)];
  const first = compare(baseline, rows);
  assert.equal(first.failed, true);
  assert.deepEqual(first.over, ['resnet50 webgl 1T']);
  assert.match(first.lines[0], /^FAIL resnet50 webgl 1T: ratio 0\.27, baseline 0\.20 \(limit 0\.26\)$/);

  const noise = compare(baseline, rows, [pair('resnet50', 'webgl', 0.21)]);
  assert.equal(noise.failed, false);
  assert.deepEqual(noise.over, []);
  assert.match(noise.lines[0], /^ok {3}resnet50 webgl 1T: ratio 0\.27, measured again 0\.21, baseline 0\.20/);

  const still = compare(baseline, rows, [pair('resnet50', 'webgl', 0.3)]);
  assert.equal(still.failed, true);
  assert.deepEqual(still.over, ['resnet50 webgl 1T']);

  const late = compare(baseline, rows, [pair('resnet50', 'webgl', 0.3), pair('resnet50', 'webgl', 0.25)]);
  assert.equal(late.failed, false);
  assert.match(late.lines[0], /measured again 0\.30, 0\.25,/);

  const regression = compare(baseline, rows, [pair('resnet50', 'webgl', 0.3), pair('resnet50', 'webgl', 0.28)]);
  assert.equal(regression.failed, true);
  assert.match(regression.lines[0], /^FAIL resnet50 webgl 1T: ratio 0\.27, measured again 0\.30, 0\.28/);

  const lost = compare(baseline, rows, [[{ model: 'resnet50', backend: 'webgl', threads: 1, engine: 'webdnn', status: 'error', error: 'x' }]]);
  assert.equal(lost.failed, true);
  assert.match(lost.lines[0], /no later ratio/);
});

test('a row without a ratio fails; a row not in the baseline is listed', () => {
  const rows = [{ model: 'resnet50', backend: 'webgl', threads: 1, engine: 'webdnn', status: 'error', error: 'shader failed' },
    ...pair('vgg16', 'wasm', 0.5), ...pair('resnet50', 'wasm', 0.6)];
  const v = compare(baseline, rows);
  assert.equal(v.failed, true);
  assert.deepEqual(v.over, []);
  assert.equal(v.lines[0], 'FAIL resnet50 webgl 1T: no ratio measured (error: shader failed)');
  assert.equal(v.lines[2], 'new  resnet50 wasm 1T: ratio 0.60 (not in the baseline)');
});

test("a webgpu row's load ratio is checked as a row of its own", () => {
  const file = path.join(dir, 'load.json');
  fs.writeFileSync(file, JSON.stringify({ ratios: { 'resnet50 webgpu 1T': 0.2, 'resnet50 webgpu 1T load': 0.6 } }));
  const gpu = (median, load) => [
    { model: 'resnet50', backend: 'webgpu', threads: 1, engine: 'webdnn', status: 'ok', ratio: { median, load } },
    { model: 'resnet50', backend: 'webgpu', threads: 1, engine: 'ort', status: 'ok' },
  ];
  const slow = compare(file, gpu(0.2, 1.1));
  assert.equal(slow.failed, true);
  assert.deepEqual(slow.over, ['resnet50 webgpu 1T load']);
  assert.equal(slow.lines[1], 'FAIL resnet50 webgpu 1T load: ratio 1.10, baseline 0.60 (limit 0.78)');
  assert.equal(compare(file, gpu(0.2, 1.1), [gpu(0.2, 0.7)]).failed, false);
  const lost = compare(file, [{ model: 'resnet50', backend: 'webgpu', threads: 1, engine: 'webdnn', status: 'error', error: 'no adapter' }]);
  assert.equal(lost.lines[1], 'FAIL resnet50 webgpu 1T load: no ratio measured (error: no adapter)');
  // Rows of other backends have no load key.
  assert.deepEqual(compare(baseline, [...pair('resnet50', 'webgl', 0.2), ...pair('vgg16', 'wasm', 0.5)]).lines.length, 2);
});
