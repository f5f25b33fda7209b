// Expression ops at IEEE edge values (tests/js/expr_edges.mjs) on the CPU backends: the native
// runner (webdnn-run), and the WebAssembly and plain-JavaScript runtimes in Node.js. The browser
// test (tests/browser/expr_edges.test.mjs) does wasm, webgpu and webgl in Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';

import { readNpy, writeNpy } from '../e2e/npy.mjs';
import { convertedEdges, edgeInputs, edgeProblems, expectedEdges } from './expr_edges.mjs';
import { CONVERT, importWebDNN, run } from './support.mjs';

const inputs = edgeInputs();
let dir, expected;
before(async () => {
  dir = convertedEdges();
  expected = await expectedEdges(inputs);
});

test('native runner (webdnn-run)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-edges-'));
  try {
    const args = [dir, '--output-dir', path.join(tmp, 'out')];
    for (const i of inputs) {
      // The IR keeps integers as int64 (webdnn-run wants each .npy in the input's own dtype).
      const npy = i.type === 'int32' ? { ...i, type: 'int64', data: BigInt64Array.from(i.data, BigInt) } : i;
      writeNpy(path.join(tmp, `${i.name}.npy`), npy);
      args.push('--input', `${i.name}=${path.join(tmp, `${i.name}.npy`)}`);
    }
    run('webdnn-run', path.join(path.dirname(CONVERT), 'webdnn-run'), args);
    const ours = Object.fromEntries(Object.keys(expected).map((n) => [n, readNpy(path.join(tmp, 'out', `${n}.npy`))]));
    assert.deepEqual(edgeProblems(ours, expected, inputs), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

for (const backend of ['wasm', 'fallback']) {
  test(`${backend} in Node.js`, async () => {
    const WebDNN = await importWebDNN();
    const runner = await WebDNN.load(dir, { backendOrder: [backend] });
    assert.equal(runner.backendName, backend);
    for (const i of inputs) runner.inputs.find((v) => v.name === i.name).set(i.data);
    await runner.run();
    const ours = Object.fromEntries(runner.outputs.map((o) => [o.name, { data: o.toActual() }]));
    runner.dispose();
    assert.deepEqual(edgeProblems(ours, expected, inputs), []);
  });
}
