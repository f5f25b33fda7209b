// Every model of ../shared and the project's own ResNet50 and VGG16 in headless Chromium on the
// wasm backend, single-threaded on a plain page and with 2 threads on a cross-origin isolated one,
// against onnxruntime-node run in Node.js on the same input.
// WEBDNN_TEST_MODELS=name,... picks some (CTest runs one model per test).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { converted, model, reference, verdict } from '../js/support.mjs';
import { sharedAndOwn } from '../js/variants.mjs';
import { launch, openPage } from './driver.mjs';
import { runInPage, startSite } from './site.mjs';

const { names, missing } = sharedAndOwn();
if (missing) test('the models of ../shared', { skip: missing }, () => {});

let browser, site;
before(async () => {
  [browser, site] = await Promise.all([launch(), startSite()]);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const VARIANTS = [
  { name: 'wasm, 1 thread', server: 'plain', options: { backendOrder: ['wasm'], numThreads: 1 }, threads: 1 },
  { name: 'wasm, 2 threads, isolated page', server: 'isolated', options: { backendOrder: ['wasm'], numThreads: 2 }, threads: 2 },
];

// WEBDNN_TEST_THREADS=N runs the variant of N threads alone.
const THREADS = process.env.WEBDNN_TEST_THREADS;

for (const name of names) {
  describe(name, () => {
    let ref;
    before(async () => {
      converted(model(name));
      ref = await reference(model(name));
    });
    for (const v of VARIANTS.filter((v) => !THREADS || String(v.threads) === THREADS)) {
      test(v.name, async (t) => {
        const page = await openPage(browser, `${site[v.server].url}/index.html`);
        try {
          assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), v.server === 'isolated');
          const ours = await runInPage(page, `/models/${name}`, v.options, ref.inputs);
          assert.equal(ours.backendName, 'wasm');
          assert.equal(ours.numThreads, v.threads, 'threads in use');
          const { problems, lines } = verdict(ours.outputs, ref);
          for (const l of lines) t.diagnostic(l);
          assert.deepEqual(problems, [], `${name} on ${v.name} disagrees with onnxruntime:\n${problems.join('\n')}`);
        } finally {
          await page.close();
        }
      });
    }
  });
}
