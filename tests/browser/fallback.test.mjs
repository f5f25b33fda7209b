// Chromium without WebAssembly (launch({noWasm: true})): WebDNN.load must pick the plain
// JavaScript fallback by itself and give onnxruntime's answers, on small shared models and every
// per-op model of tools/make_models.py.
// WEBDNN_TEST_MODELS=name,... picks some ('ops': every per-op model, 'shared': the shared ones).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { converted, model, ownNames, reference, sharedMissing, verdict } from '../js/support.mjs';
import { selected } from '../js/variants.mjs';
import { checkModel, runInPage, usePage } from './site.mjs';

// Without WebAssembly V8 runs without its JIT too (see driver.mjs): the style transfer and the
// big nets would take many minutes there. One export of each small net: the dynamo exports run
// the same kernels, and every other backend's tests cover them.
const SHARED = ['digits_cnn', 'squeezenet1_1.torchscript', 'mobilenet_v2.torchscript'];
const ops = ownNames('ops');
const names = selected([...SHARED, ...ops], undefined, { ops, shared: SHARED });
const shared = names.filter((n) => SHARED.includes(n));

const use = usePage({ noWasm: true });

const check = (name) => checkModel(use, name, {}, (ours) => assert.equal(ours.backendName, 'fallback'));

test('the page has no WebAssembly', async () => {
  assert.equal(await use.page.evaluate(() => typeof WebAssembly), 'undefined');
});

test('wasm asked first is skipped with a warning', async () => {
  const ref = await reference(model('op_Conv'));
  converted(model('op_Conv'));
  const before = use.page.messages.length;
  const ours = await runInPage(use.page, '/models/op_Conv', { backendOrder: ['wasm', 'fallback'] }, ref.inputs);
  assert.equal(ours.backendName, 'fallback');
  assert.deepEqual(use.page.messages.slice(before).filter((m) => m.startsWith('[warning]')),
    ["[warning] WebDNN: backend 'wasm' skipped: WebAssembly is not available"]);
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
});

if (shared.length) describe('shared models', { skip: sharedMissing() }, () => shared.forEach(check));
describe('per-op models', () => names.filter((n) => ops.includes(n)).forEach(check));
