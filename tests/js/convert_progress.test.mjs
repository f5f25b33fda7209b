// webdnn-convert's progress on stderr: on a terminal (a pseudo-terminal made by script(1)) a bar
// per step redrawn in place up to 100%; into a pipe one plain line per step, no bar.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { CONVERT, model, onnxFile } from './support.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-progress-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
// The steps of converting op_Conv into `out` for wasm (the weights' size as the descriptor says).
const steps = (out) => ['reading 2 initializers', 'importing 2 nodes', 'optimizing 2 operators', 'generating the wasm descriptor',
  // What zstd compresses: the weights file's bytes (coded ones, docs/descriptor.md, are fewer).
  `compressing ${fileBytes(JSON.parse(fs.readFileSync(path.join(work, out, 'graph-wasm.json'), 'utf8')).weights)} bytes of wasm weights`];
const fileBytes = (w) => w.encoded?.bytes ?? w.bytes;
const args = (out) => [onnxFile(model('op_Conv')), '-o', path.join(work, out), '--backend', 'wasm'];

test('on a terminal: a bar per step, redrawn in place, each reaching 100%', () => {
  const quote = (a) => `'${a.replace(/'/g, "'\\''")}'`;
  const r = spawnSync('script', ['-qfec', [CONVERT, ...args('tty')].map(quote).join(' '), '/dev/null'],
    { encoding: 'utf8', env: { ...process.env, TERM: 'xterm' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const lines = r.stdout.split('\r\n');
  for (const step of steps('tty')) {
    const line = lines.find((l) => l.includes(`webdnn-convert: ${step}`));
    assert.ok(line, `no line for '${step}' in ${JSON.stringify(r.stdout)}`);
    const bars = line.split('\r\x1b[K').slice(1);
    assert.ok(bars.length >= 2, `'${step}' was not redrawn: ${JSON.stringify(line)}`);
    assert.equal(bars.at(-1), `webdnn-convert: ${step} [${'#'.repeat(30)}] 100%`);
  }
});

test('into a pipe: one plain line per step', () => {
  const r = spawnSync(CONVERT, args('pipe'), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /[\r\x1b%#]/);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines.slice(1, -1), steps('pipe').map((s) => `webdnn-convert: ${s}`));
  assert.match(lines[0], /^webdnn-convert: reading .*op_Conv\.onnx$/);
  assert.match(lines.at(-1), /^webdnn-convert: wrote .* in [\d.]+ s$/);
});
