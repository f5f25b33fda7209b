// Expression ops at IEEE edge values (tests/js/expr_edges.mjs) in headless Chromium: wasm, and
// webgpu and webgl (SwiftShader), whose allowances the semantics spell out.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { convertedEdges, edgeInputs, edgeProblems, expectedEdges, NAME } from '../js/expr_edges.mjs';
import { runInPage, usePage } from './site.mjs';

const inputs = edgeInputs();
let expected;
before(async () => {
  convertedEdges();
  expected = await expectedEdges(inputs);
});
const use = usePage();

for (const backend of ['wasm', 'webgpu', 'webgl']) {
  test(backend, async () => {
    const ours = await runInPage(use.page, `/models/${NAME}`, { backendOrder: [backend] }, inputs);
    assert.equal(ours.backendName, backend);
    assert.deepEqual(edgeProblems(ours.outputs, expected, inputs, { gpu: backend !== 'wasm' }), []);
  });
}
