// The WebGPU backend (SwiftShader in headless Chromium) against onnxruntime-node run in Node.js
// on the same inputs: max |ours - ref| <= 1e-3 * max |ref| + 1e-4 and the same arg-max.
//   WEBDNN_TEST_MODELS=ops        every per-op model of tools/make_models.py (one test per op type)
//   WEBDNN_TEST_MODELS=NAME,...   models of ../shared and our own resnet50 / vgg16
// WEBDNN_WEBGPU_KERNELS=gpu runs the kernels made for GPUs (workgroup memory) instead of those the
// runner picks for SwiftShader.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { converted, model, ownNames, reference, sharedMissing, sharedNames, verdict } from '../js/support.mjs';
import { selected, wantedNames } from '../js/variants.mjs';
import { launch, openPage } from './driver.mjs';
import { startSite } from './site.mjs';
import { runWebGpu, WEBGPU_TOLERANCE } from './webgpu_support.mjs';

const ops = ownNames('ops');
const own = ownNames('nets');
const wanted = wantedNames();
const needsShared = !wanted || wanted.some((n) => n !== 'ops' && !own.includes(n) && !ops.includes(n));
const missing = needsShared ? sharedMissing() : undefined;
if (missing) test('the models of ../shared', { skip: missing }, () => {});
const known = missing ? [...ops, ...own] : [...ops, ...own, ...sharedNames()];
const names = selected(known, wanted?.filter((n) => !missing || n === 'ops' || known.includes(n)), { ops });
const kernels = process.env.WEBDNN_WEBGPU_KERNELS;

let browser, site, page;
before(async () => {
  [browser, site] = await Promise.all([launch(), startSite()]);
  page = await openPage(browser, `${site.plain.url}/index.html`);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

function check(name) {
  test(name, async (t) => {
    const m = model(name);
    converted(m, { gpu: true });
    const ref = await reference(m);
    const options = { backendOrder: ['webgpu'], ...(kernels ? { webgpuKernels: kernels } : {}) };
    const ours = await runWebGpu(page, `/models-gpu/${name}`, options, ref.inputs);
    assert.equal(ours.backendName, 'webgpu');
    assert.equal(ours.runError, null);
    if (kernels) assert.equal(ours.kernels, kernels);
    t.diagnostic(`kernels: ${ours.kernels}; load (ms since start): ${JSON.stringify(ours.timings)}`);
    const { problems, lines } = verdict(ours.outputs, ref, WEBGPU_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on webgpu disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}

const opNames = names.filter((n) => ops.includes(n));
if (opNames.length) describe('per-op models', () => opNames.forEach(check));
names.filter((n) => !ops.includes(n)).forEach(check);
