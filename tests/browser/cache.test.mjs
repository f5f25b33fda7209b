// WebDNN.load(dir, {cache: true}): manifest, descriptors and weights kept in the Cache API, keyed
// by the checksums of the manifest's file index. On a network throttled to 10 MB/s, ResNet50's
// second load (a second visit: the page loaded again) comes from the cache at least 5x faster, with
// progress reported as on the first, and asks the network for manifest.json only (the faster of
// two such visits counted); a model converted again at the same address is never served stale; a
// corrupted download is not kept; WebDNN.clearCache() empties it; the worker caches as well.
// Answers from onnxruntime-node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { converted, model, reference, verdict } from '../js/support.mjs';
import { runInPage, usePage } from './site.mjs';

const use = usePage();
const noise = (page, from = 0) => page.messages.slice(from).filter((m) => /^\[(error|warning|pageerror)\]/.test(m));

// The requests the page sends to the test server while `fn` runs (paths).
async function requests(page, fn) {
  const seen = [];
  const listen = (r) => seen.push(new URL(r.url()).pathname);
  page.on('request', listen);
  try {
    return { result: await fn(), seen };
  } finally {
    page.off('request', listen);
  }
}

// Loads `dir` with the cache in the page (at its current address): load time, progress calls.
const timedLoad = (page, dir, options = {}) => page.evaluate(async ({ dir, options }) => {
  const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
  const calls = [];
  const start = performance.now();
  const runner = await WebDNN.load(dir, { ...options, cache: true, progressCallback: (...a) => calls.push(a) });
  const ms = performance.now() - start;
  runner.dispose();
  return { ms, calls, backendName: runner.backendName };
}, { dir, options });

test('ResNet50 from the cache: a second visit at least 5x faster over a 10 MB/s network', async (t) => {
  const dir = converted(model('resnet50'));
  const total = fs.statSync(path.join(dir, 'weights-wasm.bin.zst')).size;
  const context = await use.browser.newContext();
  const page = await context.newPage();
  page.messages = [];
  page.on('console', (m) => page.messages.push(`[${m.type()}] ${m.text()}`));
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 10e6, uploadThroughput: -1 });
    const visit = async () => {
      await page.goto(`${use.site.plain.url}/index.html`);
      return requests(page, () => timedLoad(page, '/models/resnet50', { backendOrder: 'wasm' }));
    };
    await page.goto(`${use.site.plain.url}/index.html`);
    await page.evaluate(async () => (await import('/webdnn/webdnn.mjs')).default.clearCache());
    const first = await visit();
    // Two visits from the cache, the faster counted: this 2-core machine is shared, and a busy
    // spell during one load should not decide.
    const cached = [await visit(), await visit()];
    const second = cached[0].result.ms <= cached[1].result.ms ? cached[0] : cached[1];
    const ratio = first.result.ms / second.result.ms;
    t.diagnostic(`ResNet50 wasm, 10 MB/s: first load ${first.result.ms.toFixed(0)} ms, from the cache ` +
      `${cached.map((c) => c.result.ms.toFixed(0)).join(' and ')} ms (${ratio.toFixed(1)}x)`);
    assert.ok(ratio >= 5, `the second load is only ${ratio.toFixed(1)}x faster`);
    for (const { result } of [first, ...cached]) {
      assert.ok(result.calls.length > 10, `${result.calls.length} progress calls`);
      assert.deepEqual(result.calls.at(-1), [total, total]);
    }
    const fromModel = (seen) => seen.filter((p) => p.startsWith('/models/'));
    assert.deepEqual(fromModel(first.seen).sort(), ['/models/resnet50/graph-wasm.json', '/models/resnet50/manifest.json',
      '/models/resnet50/weights-wasm.bin.zst']);
    for (const c of cached) assert.deepEqual(fromModel(c.seen), ['/models/resnet50/manifest.json']);
    assert.deepEqual(noise(page), []);
  } finally {
    await context.close();
  }
});

// Copies converted model `name` to /scratch/`at`, replacing what is there.
function publish(name, at) {
  const to = path.join(use.site.scratch, at);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(converted(model(name)), to, { recursive: true });
  return `/scratch/${at}`;
}

test('a model converted again at the same address is loaded anew, never stale', async () => {
  const from = use.page.messages.length;
  const [conv, gemm] = await Promise.all([reference(model('op_Conv')), reference(model('op_Gemm'))]);
  const dir = publish('op_Conv', 'changing');
  const once = await runInPage(use.page, dir, { backendOrder: 'wasm', cache: true }, conv.inputs);
  assert.deepEqual(verdict(once.outputs, conv).problems, []);
  publish('op_Gemm', 'changing');
  const { result: changed, seen } = await requests(use.page,
    () => runInPage(use.page, dir, { backendOrder: 'wasm', cache: true }, gemm.inputs));
  assert.deepEqual(verdict(changed.outputs, gemm).problems, []);
  assert.ok(seen.includes(`${dir}/weights-wasm.bin.zst`), `the new weights were not fetched: ${seen}`);
  // Only the current version of each file stays.
  const keys = await use.page.evaluate(async (dir) => (await (await caches.open('webdnn')).keys())
    .map((r) => new URL(r.url).pathname).filter((p) => p.startsWith(dir)), dir);
  assert.deepEqual(keys.sort(), [`${dir}/graph-wasm.json`, `${dir}/weights-wasm.bin.zst`]);
  assert.deepEqual(noise(use.page, from), []);
});

test('a corrupted download is not kept; clearCache empties the cache', async () => {
  const conv = await reference(model('op_Conv'));
  const dir = publish('op_Conv', 'corrupted');
  const file = path.join(use.site.scratch, 'corrupted', 'weights-wasm.bin.zst');
  const good = fs.readFileSync(file);
  const bad = Buffer.from(good);
  bad[bad.length >> 1] ^= 0x10;
  fs.writeFileSync(file, bad);
  const error = await use.page.evaluate(async (dir) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    return WebDNN.load(dir, { backendOrder: 'wasm', cache: true }).then(() => 'loaded', (e) => e.message);
  }, dir);
  assert.match(error, /fails its checksum/);
  fs.writeFileSync(file, good);
  const ours = await runInPage(use.page, dir, { backendOrder: 'wasm', cache: true }, conv.inputs);
  assert.deepEqual(verdict(ours.outputs, conv).problems, []);
  const cleared = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    return { removed: await WebDNN.clearCache(), left: await caches.has('webdnn') };
  });
  assert.deepEqual(cleared, { removed: true, left: false });
});

test('the worker caches too', async () => {
  const from = use.page.messages.length;
  const conv = await reference(model('op_Conv'));
  const dir = publish('op_Conv', 'in-worker');
  const { seen: firstSeen } = await requests(use.page,
    () => runInPage(use.page, dir, { backendOrder: 'wasm', cache: true, worker: true }, conv.inputs));
  assert.ok(firstSeen.includes(`${dir}/weights-wasm.bin.zst`));
  const { result: ours, seen } = await requests(use.page,
    () => runInPage(use.page, dir, { backendOrder: 'wasm', cache: true, worker: true }, conv.inputs));
  assert.equal(ours.worker, true);
  assert.deepEqual(verdict(ours.outputs, conv).problems, []);
  assert.deepEqual(seen.filter((p) => p.startsWith(dir)), [`${dir}/manifest.json`]);
  assert.deepEqual(noise(use.page, from), []);
});
