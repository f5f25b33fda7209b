// The API's error cases with their messages, falling back to the next backend, and progress.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { converted, importWebDNN, model, PACKAGE, reference, verdict } from './support.mjs';
import { runOnce } from './variants.mjs';
import { FORMAT_VERSION } from '../../runtime/js/version.mjs';

const WebDNN = await importWebDNN();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-js-api-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

let conv, ref;  // a small model and onnxruntime's answer on it
before(async () => {
  conv = converted(model('op_Conv'));
  ref = await reference(model('op_Conv'));
});

// A copy of the converted model, changed by `edit(dir)`.
function broken(name, edit) {
  const dir = path.join(work, name);
  fs.cpSync(conv, dir, { recursive: true });
  edit(dir);
  return dir;
}

// Collects console.warn calls instead of printing them.
function warnings(t) {
  return t.mock.method(console, 'warn', () => {}).mock;
}

test('a directory without a manifest', async () => {
  const dir = path.join(work, 'empty');
  fs.mkdirSync(dir);
  await assert.rejects(WebDNN.load(dir), {
    name: 'Error',
    message: `WebDNN.load('${dir}'): cannot read manifest '${dir}/manifest.json': no such file. ` +
      `Is '${dir}' a directory written by webdnn-convert?`,
  });
});

test('a manifest of an unknown format version', async () => {
  const dir = broken('manifest-v99', (d) => {
    const file = path.join(d, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), version: 99 }));
  });
  await assert.rejects(WebDNN.load(dir), {
    message: `WebDNN.load('${dir}'): the model has format version 99, but this WebDNN reads version ${FORMAT_VERSION}; ` +
      'convert it again with a matching webdnn-convert',
  });
});

test('a descriptor of an unknown format version', async (t) => {
  const dir = broken('descriptor-v99', (d) => {
    const file = path.join(d, 'graph-wasm.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), version: 99 }));
  });
  const warned = warnings(t);
  await assert.rejects(WebDNN.load(dir, { backendOrder: ['wasm'] }), {
    message: `WebDNN.load('${dir}'): no backend could run the model. wasm: descriptor '${dir}/graph-wasm.json' ` +
      `has format version 99, but this WebDNN reads version ${FORMAT_VERSION}; convert the model again with a matching webdnn-convert`,
  });
  assert.equal(warned.callCount(), 1);
});

// Each build of the runtime: the threaded wasm one (Node's default), the single-threaded one and
// the plain-JavaScript one. They catch C++ exceptions differently (runtime/wasm/CMakeLists.txt),
// and a message lost on the way comes out as "unknown error".
const RUNTIMES = [['wasm', {}], ['wasm', { numThreads: 1 }], ['fallback', {}]];

test('weights that fail the checksum', async (t) => {
  const dir = broken('corrupted', (d) => {
    const file = path.join(d, 'weights-wasm.bin.zst');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x10;
    fs.writeFileSync(file, bytes);
  });
  warnings(t);
  for (const [backend, options] of RUNTIMES) {
    await assert.rejects(WebDNN.load(dir, { backendOrder: [backend], ...options }), (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, new RegExp(`${backend}: weights file 'weights-wasm.bin.zst' fails its checksum ` +
        '\\(crc32 [0-9a-f]{8}, expected [0-9a-f]{8}\\): it is corrupted'));
      return true;
    });
  }
});

test('a weights file of the wrong size', async (t) => {
  const size = fs.statSync(path.join(conv, 'weights-wasm.bin.zst')).size;
  const short = broken('truncated', (d) => fs.truncateSync(path.join(d, 'weights-wasm.bin.zst'), size - 100));
  const long = broken('longer', (d) => fs.appendFileSync(path.join(d, 'weights-wasm.bin.zst'), 'xx'));
  warnings(t);
  await assert.rejects(WebDNN.load(short, { backendOrder: ['wasm'] }), {
    message: `WebDNN.load('${short}'): no backend could run the model. wasm: weights file 'weights-wasm.bin.zst' ` +
      `has ${size - 100} bytes; the descriptor expects ${size} (an incomplete download, or the weights file of another model?)`,
  });
  await assert.rejects(WebDNN.load(long, { backendOrder: ['wasm'] }), {
    message: `WebDNN.load('${long}'): no backend could run the model. wasm: weights file 'weights-wasm.bin.zst' ` +
      'is longer than the descriptor says: it does not belong to this descriptor',
  });
});

test('a model larger than the runtime\'s memory is refused before its weights are read', async (t) => {
  // The WebAssembly runtime grows to 4 GiB, the plain-JavaScript one to 2 GiB (runtime/wasm's
  // MAXIMUM_MEMORY): an arena just under 4 GiB with 100 kB of weights fits neither. The weights
  // file is gone, so the error about memory shows that nothing was downloaded first.
  const arena = 2 ** 32 - 65536, weights = 100000;
  const dir = broken('too-large', (d) => {
    const file = path.join(d, 'graph-wasm.json');
    const g = JSON.parse(fs.readFileSync(file, 'utf8'));
    g.memory.arena_bytes = arena;
    g.weights.bytes = weights;
    fs.writeFileSync(file, JSON.stringify(g));
    fs.rmSync(path.join(d, 'weights-wasm.bin.zst'));
  });
  warnings(t);
  for (const [backend, options] of RUNTIMES) {
    const limit = backend === 'wasm' ? '4.00' : '2.00';
    await assert.rejects(WebDNN.load(dir, { backendOrder: [backend], ...options }), (e) => {
      assert.match(e.message, new RegExp(`${backend}: .*the model needs ${arena} bytes for its intermediate values and ` +
        `${weights} bytes of weights, 4.00 GiB in all; this runtime can hold at most ${limit} GiB`));
      return true;
    });
  }
});

test('an input of the wrong length', async () => {
  const runner = await WebDNN.load(conv, { backendOrder: ['wasm'] });
  try {
    const x = runner.inputs[0];
    assert.deepEqual([x.name, x.dtype, x.shape, x.size], ['x', 'float32', [1, 4, 8, 8], 256]);
    assert.throws(() => x.set(new Float32Array(255)), {
      message: "input 'x' takes 256 values (shape [1,4,8,8]), but 255 were given",
    });
    assert.throws(() => x.set([1, 2, 3]), /takes 256 values .* but 3 were given/);
    assert.throws(() => x.set(undefined), /takes 256 values .* but undefined were given/);
  } finally {
    runner.dispose();
  }
});

test('a disposed runner refuses to run and its views refuse to read or write', async () => {
  // Its memory may belong to another runner by now.
  const runner = await WebDNN.load(conv, { backendOrder: ['wasm'] });
  const other = await WebDNN.load(conv, { backendOrder: ['wasm'] });
  runner.dispose();
  await assert.rejects(runner.run(), { message: 'this runner was disposed' });
  assert.throws(() => runner.inputs[0].set(new Float32Array(256)), { message: 'this runner was disposed' });
  assert.throws(() => runner.outputs[0].toActual(), { message: 'this runner was disposed' });
  runner.dispose();  // twice is harmless
  other.inputs[0].set(ref.inputs[0].data);
  await other.run();
  assert.deepEqual(verdict({ y: { type: 'float32', shape: other.outputs[0].shape, data: other.outputs[0].toActual() } }, ref).problems, []);
  other.dispose();
});

test('an unknown backend name', async () => {
  // Refused even where the backend before it would have loaded.
  await assert.rejects(WebDNN.load(conv, { backendOrder: ['wasm', 'webgpv'] }),
    { message: /^WebDNN.load: unknown backend 'webgpv' in backendOrder; known: (\w+, )*wasm, (\w+, )*fallback\b/ });
  await assert.rejects(WebDNN.load(conv, { backendOrder: [] }), { message: 'WebDNN.load: backendOrder is empty' });
  const runner = await WebDNN.load(conv, { backendOrder: 'fallback' });
  assert.equal(runner.backendName, 'fallback');
  runner.dispose();
});

test('a backend that fails to load falls back to the next, with a warning', async (t) => {
  // A package copy without the WebAssembly binaries: the wasm backend is listed but cannot start.
  const copy = path.join(work, 'package-without-wasm');
  fs.cpSync(PACKAGE, copy, { recursive: true, filter: (f) => !f.endsWith('.wasm') });
  const Broken = await importWebDNN(copy);
  const warned = warnings(t);
  const ours = await runOnce(Broken, conv, { backendOrder: ['wasm', 'fallback'], numThreads: 1 }, ref.inputs);
  assert.equal(ours.backendName, 'fallback');
  assert.equal(warned.callCount(), 1);
  assert.match(warned.calls[0].arguments[0], /^WebDNN: backend 'wasm' failed to load \(.*webdnn-runtime-wasm\.wasm.*\); trying the next one$/);
  assert.deepEqual(verdict(ours.outputs, ref).problems, []);
});

test('progressCallback reports the bytes loaded up to the total', async () => {
  // ResNet50's weights span many chunks of the stream.
  const dir = converted(model('resnet50'));
  const total = JSON.parse(fs.readFileSync(path.join(dir, 'graph-wasm.json'), 'utf8')).weights.compressed_bytes;
  assert.equal(total, fs.statSync(path.join(dir, 'weights-wasm.bin.zst')).size);
  const calls = [];
  const runner = await WebDNN.load(dir, { backendOrder: ['wasm'], numThreads: 1, progressCallback: (...a) => calls.push(a) });
  runner.dispose();
  assert.ok(calls.length > 10, `${calls.length} calls`);
  calls.forEach(([loaded, all], i) => {
    assert.equal(all, total);
    assert.ok(loaded > (i ? calls[i - 1][0] : 0) && loaded <= total, `call ${i}: ${loaded} after ${calls[i - 1]?.[0]}`);
  });
  assert.deepEqual(calls.at(-1), [total, total]);
});

test('an AbortSignal aborts a load from disk: an AbortError saying what was under way; no next backend', async () => {
  const controller = new AbortController();
  const reason = new Error('not needed any more');
  const load = WebDNN.load(conv, { backendOrder: ['wasm', 'fallback'], signal: controller.signal,
    progressCallback: () => controller.abort(reason) });
  await assert.rejects(load, (e) => {
    assert.equal(e.name, 'AbortError');
    assert.ok(e instanceof Error);
    assert.equal(e.cause, reason);
    const total = fs.statSync(path.join(conv, 'weights-wasm.bin.zst')).size;
    assert.equal(e.message, `WebDNN.load('${conv}') was aborted while downloading weights-wasm.bin.zst (${total} of ${total} bytes)`);
    return true;
  });
  await assert.rejects(WebDNN.load(conv, { signal: AbortSignal.abort() }),
    { name: 'AbortError', message: `WebDNN.load('${conv}') was aborted before it started` });
  await assert.rejects(WebDNN.load(conv, { signal: controller }),
    { message: 'WebDNN.load: signal must be an AbortSignal (AbortController.signal)' });
  // A signal that never aborts changes nothing.
  const runner = await WebDNN.load(conv, { backendOrder: ['wasm'], signal: new AbortController().signal });
  runner.dispose();
});
