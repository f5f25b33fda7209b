// The WebGL backend (WebGL2 on SwiftShader in headless Chromium) against onnxruntime-node run in
// Node.js on the same inputs: max |ours - ref| <= 1e-3 * max |ref| + 1e-4 and the same arg-max.
//   WEBDNN_TEST_MODELS=ops        every per-op model of tools/make_models.py (one test per op type)
//   WEBDNN_TEST_MODELS=NAME,...   models of ../shared and our own resnet50 / vgg16
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { convertedWebGl, model, ownNames, reference, sharedMissing, sharedNames, verdict } from '../js/support.mjs';
import { selected, wantedNames } from '../js/variants.mjs';
import { launch, openPage } from './driver.mjs';
import { startSite } from './site.mjs';
import { runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';

const ops = ownNames('ops');
const own = ownNames('nets');
const wanted = wantedNames();
const needsShared = !wanted || wanted.some((n) => n !== 'ops' && !own.includes(n) && !ops.includes(n));
const missing = needsShared ? sharedMissing() : undefined;
if (missing) test('the models of ../shared', { skip: missing }, () => {});
const known = missing ? [...ops, ...own] : [...ops, ...own, ...sharedNames()];
const names = selected(known, wanted?.filter((n) => !missing || n === 'ops' || known.includes(n)), { ops });

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
    convertedWebGl(m);
    const ref = await reference(m);
    const ours = await runWebGl(page, `/models-webgl/${name}`, { backendOrder: ['webgl'] }, ref.inputs);
    assert.equal(ours.backendName, 'webgl');
    assert.equal(ours.runError, null);
    const { problems, lines } = verdict(ours.outputs, ref, WEBGL_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on webgl disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}

const opNames = names.filter((n) => ops.includes(n));
if (opNames.length) describe('per-op models', () => opNames.forEach(check));
names.filter((n) => !ops.includes(n)).forEach(check);
