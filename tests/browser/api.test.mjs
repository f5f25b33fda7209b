// The API's error cases in Chromium, once each, with their messages; falling back to the next
// backend; progress; threads only on cross-origin isolated pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FORMAT_VERSION } from '../../runtime/js/version.mjs';
import { converted, model, PACKAGE, reference, verdict } from '../js/support.mjs';
import { openPage } from './driver.mjs';
import { runInPage, usePage } from './site.mjs';

let conv, ref;
const use = usePage({
  async setup() {
    conv = converted(model('op_Conv'));
    ref = await reference(model('op_Conv'));
  },
});

// A copy of the converted op_Conv under /scratch/NAME, changed by `edit(dir)`.
function broken(name, edit) {
  const dir = path.join(use.site.scratch, name);
  fs.cpSync(conv, dir, { recursive: true });
  edit?.(dir);
  return `/scratch/${name}`;
}

// The message of the Error that WebDNN.load(dir, options) rejects with in the page.
async function loadError(dir, options) {
  return use.page.evaluate(async ({ dir, options }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    try {
      await WebDNN.load(dir, options);
    } catch (e) {
      return e instanceof Error ? e.message : `not an Error: ${e}`;
    }
    return 'loaded';
  }, { dir, options });
}

const editJson = (file, change) => fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...change }));

test('a directory without a manifest', async () => {
  fs.mkdirSync(path.join(use.site.scratch, 'empty'));
  assert.equal(await loadError('/scratch/empty'), "WebDNN.load('/scratch/empty'): cannot fetch manifest " +
    "'/scratch/empty/manifest.json' (HTTP 404 Not Found). Is '/scratch/empty' a directory written by webdnn-convert?");
});

test('a descriptor of an unknown format version', async () => {
  const dir = broken('v99', (d) => editJson(path.join(d, 'graph-wasm.json'), { version: 99 }));
  assert.equal(await loadError(dir, { backendOrder: ['wasm'] }), `WebDNN.load('${dir}'): no backend could run the model. ` +
    `wasm: descriptor '${dir}/graph-wasm.json' has format version 99, but this WebDNN reads version ${FORMAT_VERSION}; ` +
    'convert the model again with a matching webdnn-convert');
});

test('weights that fail the checksum', async () => {
  const dir = broken('corrupted', (d) => {
    const file = path.join(d, 'weights-wasm.bin.zst');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x10;
    fs.writeFileSync(file, bytes);
  });
  assert.match(await loadError(dir, { backendOrder: ['wasm'] }), new RegExp(`^WebDNN.load\\('${dir}'\\): no backend could ` +
    "run the model. wasm: weights file 'weights-wasm.bin.zst' fails its checksum \\(crc32 [0-9a-f]{8}, expected [0-9a-f]{8}\\): it is corrupted, or it is the weights file of another model$"));
});

test('an input of the wrong length', async () => {
  const dir = broken('conv');
  const message = await use.page.evaluate(async (dir) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const runner = await WebDNN.load(dir, { backendOrder: ['wasm'] });
    try {
      runner.inputs[0].set(new Float32Array(255));
    } catch (e) {
      return e instanceof Error ? e.message : `not an Error: ${e}`;
    } finally {
      runner.dispose();
    }
    return 'accepted';
  }, dir);
  assert.equal(message, "input 'x' takes 256 values (shape [1,4,8,8]), but 255 were given");
});

test('an unknown backend name', async () => {
  assert.match(await loadError(broken('conv2'), { backendOrder: ['wasm', 'webgpv'] }),
    /^WebDNN.load: unknown backend 'webgpv' in backendOrder; known: (\w+, )*wasm, (\w+, )*fallback\b/);
});

test('a backend that fails to load falls back to the next, with a warning', async () => {
  // A copy of the package without its WebAssembly binaries: the wasm backend cannot start.
  const pkg = path.join(use.site.scratch, 'webdnn-without-wasm');
  fs.mkdirSync(pkg);
  for (const f of fs.readdirSync(PACKAGE)) if (!f.endsWith('.wasm')) fs.symlinkSync(path.join(PACKAGE, f), path.join(pkg, f));
  const before = use.page.messages.length;
  const ours = await runInPage(use.page, broken('conv3'), { backendOrder: ['wasm', 'fallback'] }, ref.inputs, '/scratch/webdnn-without-wasm');
  assert.equal(ours.backendName, 'fallback');
  const warnings = use.page.messages.slice(before).filter((m) => m.startsWith('[warning]'));
  assert.equal(warnings.length, 1, use.page.messages.slice(before).join('\n'));
  assert.match(warnings[0], new RegExp("^\\[warning\\] WebDNN: backend 'wasm' failed to load \\(cannot start the runtime " +
    'webdnn-runtime-wasm-relaxed: .*HTTP status code is not ok.*\\); trying the next one$'));
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
});

test('progressCallback reports the bytes loaded up to the total', async () => {
  // ResNet50's weights arrive in many pieces.
  const dir = converted(model('resnet50'));
  const total = fs.statSync(path.join(dir, 'weights-wasm.bin.zst')).size;
  const calls = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const calls = [];
    const runner = await WebDNN.load('/models/resnet50', { backendOrder: ['wasm'], progressCallback: (...a) => calls.push(a) });
    runner.dispose();
    return calls;
  });
  assert.ok(calls.length > 10, `${calls.length} calls`);
  calls.forEach(([loaded, all], i) => {
    assert.equal(all, total);
    assert.ok(loaded > (i ? calls[i - 1][0] : 0) && loaded <= total, `call ${i}: ${loaded} after ${calls[i - 1]?.[0]}`);
  });
  assert.deepEqual(calls.at(-1), [total, total]);
});

test('threads only on a cross-origin isolated page', async () => {
  const dir = broken('conv4');
  const plain = await runInPage(use.page, dir, { backendOrder: ['wasm'], numThreads: 2 }, ref.inputs);
  assert.equal(plain.numThreads, 1, 'a plain page has no SharedArrayBuffer');
  const isolated = await openPage(use.browser, `${use.site.isolated.url}/index.html`);
  try {
    const ours = await runInPage(isolated, dir, { backendOrder: ['wasm'], numThreads: 2 }, ref.inputs);
    assert.equal(ours.numThreads, 2);
    assert.deepEqual(verdict(ours.outputs, ref).problems, []);
  } finally {
    await isolated.close();
  }
});
