// One node:test suite per model: converted once, onnxruntime-node's answer computed once, then
// run once by each backend variant and compared with that answer.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { converted, importWebDNN, isBig, model, MODELS2_FIXED, ownNames, reference, sharedMissing, sharedNames, verdict } from './support.mjs';

// `small`: not for the big nets, which would take minutes in plain JavaScript.
export const VARIANTS = [
  { name: 'wasm, 1 thread', options: { backendOrder: ['wasm'], numThreads: 1 }, backend: 'wasm', threads: 1 },
  { name: 'wasm, 2 threads', options: { backendOrder: ['wasm'], numThreads: 2 }, backend: 'wasm', threads: 2 },
  { name: 'fallback', options: { backendOrder: ['fallback'] }, backend: 'fallback', threads: 1, small: true },
];

// Loads `dir`, feeds `inputs`, runs once; the outputs as {name: {type, shape, data}}.
export async function runOnce(WebDNN, dir, options, inputs) {
  const runner = await WebDNN.load(dir, options);
  try {
    assert.deepEqual(runner.inputs.map((v) => v.name).sort(), inputs.map((i) => i.name).sort(), 'input names');
    for (const input of inputs) {
      const view = runner.inputs.find((v) => v.name === input.name);
      assert.deepEqual(view.shape, input.shape, `shape of input '${input.name}'`);
      view.set(input.data);
    }
    await runner.run();
    const outputs = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.declaredType, shape: o.shape, data: o.toActual() }]));
    return { backendName: runner.backendName, numThreads: runner.numThreads, outputs };
  } finally {
    runner.dispose();
  }
}

export function modelSuites(names, { skip } = {}) {
  for (const name of names) {
    describe(name, { skip }, () => {
      let dir, ref, WebDNN;
      before(async () => {
        dir = converted(model(name));
        ref = await reference(model(name));
        WebDNN = await importWebDNN();
      });
      for (const v of VARIANTS.filter((v) => !(v.small && isBig(name)) && wantedVariant(v))) {
        test(v.name, async (t) => {
          const ours = await runOnce(WebDNN, dir, v.options, ref.inputs);
          assert.equal(ours.backendName, v.backend);
          assert.equal(ours.numThreads, v.threads, 'threads in use');
          const { problems, lines } = verdict(ours.outputs, ref);
          for (const l of lines) t.diagnostic(l);
          assert.deepEqual(problems, [], `${name} on ${v.name} disagrees with onnxruntime:\n${problems.join('\n')}`);
        });
      }
    });
  }
}

// WEBDNN_TEST_BACKENDS=fallback,... runs only the variants of those backends (a model whose wasm
// runs are tested elsewhere); all when it is not set.
function wantedVariant(v) {
  const wanted = process.env.WEBDNN_TEST_BACKENDS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted?.some((b) => !VARIANTS.some((x) => x.backend === b))) throw new Error(`WEBDNN_TEST_BACKENDS: unknown backend in ${wanted}`);
  return !wanted || wanted.includes(v.backend);
}

// The names in WEBDNN_TEST_MODELS (comma-separated), or undefined when it is not set.
export const wantedNames = () => process.env.WEBDNN_TEST_MODELS?.split(',').map((s) => s.trim()).filter(Boolean);

// `wanted` checked against `all`, so that a typo cannot quietly select nothing; all by default.
// `groups` name lists of models that `wanted` may give by that name ('ops').
export function selected(all, wanted = wantedNames(), groups = {}) {
  if (!wanted) return all;
  const names = wanted.flatMap((n) => groups[n] ?? [n]);
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`WEBDNN_TEST_MODELS names unknown models: ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return names;
}

// The models to run: WEBDNN_TEST_MODELS (which may also name our per-op models), or every
// ../shared model and our own nets; and the skip message when ../shared is wanted but missing (an
// exception under CI instead).
export function sharedAndOwn() {
  const wanted = wantedNames();
  const ops = wanted?.some((n) => n.startsWith('op_')) ? ownNames('ops') : [];
  const own = [...ownNames('nets'), ...ops];
  const missing = !wanted || wanted.some((n) => !own.includes(n)) ? sharedMissing() : undefined;
  const models2 = MODELS2_FIXED.filter((n) => wanted?.includes(n));  // only when named
  const names = missing ? selected(own, wanted?.filter((n) => own.includes(n))) : selected([...sharedNames(), ...models2, ...own], wanted);
  return { names, missing };
}
