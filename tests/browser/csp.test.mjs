// A page served with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` loads and
// runs a model with its own (external) script: on the wasm backend, with threads on an isolated
// page, and on the fallback in a browser without WebAssembly. No eval, no new Function.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { converted, model, reference, verdict } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';
import { CSP, startSite, typedOutputs } from './site.mjs';

const NAME = 'op_Conv';
let site, ref;
before(async () => {
  site = await startSite();
  converted(model(NAME));
  ref = await reference(model(NAME));
  const inputs = ref.inputs.map((i) => ({ name: i.name, data: Array.from(i.data, Number) }));
  fs.writeFileSync(path.join(site.scratch, 'input.json'), JSON.stringify(inputs));
});
after(() => site?.close());

async function check(t, { noWasm = false, server, options = {}, backend, threads }) {
  const browser = await launch({ noWasm });
  try {
    const query = new URLSearchParams({ model: `/models/${NAME}`, input: '/scratch/input.json', options: JSON.stringify(options) });
    const page = await openPage(browser, `${site[server].url}/csp.html?${query}`);
    const response = await page.request.get(`${site[server].url}/csp.html`);
    assert.equal(response.headers()['content-security-policy'], CSP);
    const result = await page.evaluate(() => window.result);
    assert.equal(result.error, undefined, `${result.error}\npage console:\n${page.messages.join('\n')}`);
    assert.equal(await page.evaluate(() => window.inlineScriptRan), undefined, 'the policy is in force: inline script blocked');
    assert.deepEqual(await page.evaluate(() => window.violations), [], 'CSP violations while loading and running');
    assert.equal(result.backendName, backend);
    assert.equal(result.numThreads, threads);
    const { problems, lines } = verdict(typedOutputs(result.outputs), ref);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
}

test('wasm', (t) => check(t, { server: 'strict', backend: 'wasm', threads: 1 }));
test('wasm with 2 threads, cross-origin isolated', (t) => check(t, { server: 'strictIsolated', options: { numThreads: 2 }, backend: 'wasm', threads: 2 }));
test('fallback, without WebAssembly', (t) => check(t, { noWasm: true, server: 'strict', backend: 'fallback', threads: 1 }));
