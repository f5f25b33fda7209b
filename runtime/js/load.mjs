// WebDNN.load: the backends, their order and fallback, and where each runs (this thread or the
// WebDNN worker).
import { canUseThreads, hasSimd, hasWebAssembly, loadWasmRunner } from './backend_wasm.mjs';
import { loadWebGlRunner, webglAvailable } from '../../backends/webgl/runner/backend_webgl.mjs';
import { loadWebGpuRunner, webgpuAvailable } from '../../backends/webgpu/runner/backend_webgpu.mjs';
import { isNode } from './fetch.mjs';
import { ModelFiles } from './files.mjs';
import { loadWithTail } from './tail.mjs';
import { FORMAT_VERSION } from './version.mjs';
import { canUseWorker, loadInWorker } from './worker_client.mjs';

// Threads wait for each other by blocking, which a page's main thread must never do (the page
// freezes; Emscripten warns "Blocking on the main thread is very dangerous"): there, a threaded
// wasm runner lives in a worker.
const onPageMainThread = () => typeof document === 'object' && !isNode;

function loadWasm(ctx) {
  const threads = canUseThreads() && (ctx.options.numThreads ?? 2) > 1;
  if (threads && onPageMainThread()) {
    if (ctx.options.worker !== false && canUseWorker()) return loadInWorker(ctx.dir, ctx.options, 'wasm', ctx.files);
    return loadWasmRunner({ ...ctx, backendName: 'wasm', variant: 'wasm' });  // one thread
  }
  return loadWasmRunner({ ...ctx, backendName: 'wasm', variant: threads ? 'wasm-threaded' : 'wasm' });
}

// Each backend: which descriptor it reads, whether this environment can run it, and how to load.
const BACKENDS = {
  webgpu: {
    descriptor: 'webgpu',
    available: webgpuAvailable,
    load: loadWebGpuRunner,
  },
  webgl: {
    descriptor: 'webgl',
    available: webglAvailable,
    load: loadWebGlRunner,
  },
  wasm: {
    descriptor: 'wasm',
    available: () => (hasSimd() ? '' : hasWebAssembly() ? 'WebAssembly SIMD is not supported' : 'WebAssembly is not available'),
    load: loadWasm,
  },
  fallback: {
    descriptor: 'wasm',
    available: () => '',
    load: (ctx) => loadWasmRunner({ ...ctx, backendName: 'fallback', variant: 'fallback' }),
  },
};

const PREFERENCE = ['webgpu', 'webgl', 'wasm', 'fallback'];

// Backends registered here are known to this thread only, not to the WebDNN worker.
export function registerBackend(name, backend) {
  BACKENDS[name] = backend;
}

async function readManifest(dir, files) {
  let manifest;
  try {
    manifest = await files.manifest();
  } catch (e) {
    throw new Error(`WebDNN.load('${dir}'): ${e.message}. Is '${dir}' a directory written by webdnn-convert?`);
  }
  if (manifest?.format !== 'webdnn-manifest') throw new Error(`WebDNN.load('${dir}'): manifest.json is not a WebDNN manifest`);
  if (manifest.version !== FORMAT_VERSION) {
    throw new Error(`WebDNN.load('${dir}'): the model has format version ${manifest.version}, but this WebDNN reads ` +
      `version ${FORMAT_VERSION}; convert it again with a matching webdnn-convert`);
  }
  return manifest;
}

// Why backend `name` cannot run the model here ('' when it can try), and its manifest entry.
function prospect(name, manifest) {
  const backend = BACKENDS[name];
  const entry = manifest.backends.find((b) => b.name === backend.descriptor);
  const missing = !entry ? `the model was not converted for it (webdnn-convert --backend ${backend.descriptor})` : backend.available();
  return { backend, entry, missing };
}

// A model exported in half precision declares float16 (bfloat16, float64) inputs and outputs in
// its manifest; the backends compute them in float32, and the views convert at the edges.
function declarePortTypes(runner, manifest) {
  for (const [views, ports] of [[runner.inputs, manifest.inputs], [runner.outputs, manifest.outputs]]) {
    for (const view of views) {
      const type = ports?.find((p) => p?.name === view.name)?.dtype;
      if (view.dtype === 'float32' && ['float16', 'bfloat16', 'float64'].includes(type)) view.declaredType = type;
    }
  }
}

// WebDNN.load without a worker of its own: tries the backends in order, or loads only `single`
// (then its own error is thrown as it is; the WebDNN worker loads one backend this way).
export async function loadInThisThread(dir, options, single, files = new ModelFiles(dir, options)) {
  const manifest = await readManifest(dir, files);
  // What a failed attempt cached (perhaps a corrupted download) goes with it.
  const attempt = async (name, backend, entry) => {
    try {
      const ctx = { dir, manifest, entry, options, files };
      const runner = entry.tail ? await loadWithTail(ctx, backend.load, name) : await backend.load(ctx);
      await files.keep();
      declarePortTypes(runner, manifest);
      return runner;
    } catch (e) {
      await files.drop();
      throw e;
    }
  };
  if (single) {
    const { backend, entry, missing } = prospect(single, manifest);
    if (missing) throw new Error(missing);
    return attempt(single, backend, entry);
  }
  // A misspelt name is an error wherever it stands, not only once the backends before it fail.
  const given = options.backendOrder;
  const order = given === undefined ? PREFERENCE.filter((name) => BACKENDS[name]) : [given].flat();
  if (!order.length) throw new Error('WebDNN.load: backendOrder is empty');
  const unknown = order.filter((name) => !BACKENDS[name]);
  if (unknown.length) {
    throw new Error(`WebDNN.load: unknown backend ${unknown.map((n) => `'${n}'`).join(', ')} in backendOrder; ` +
      `known: ${Object.keys(BACKENDS).join(', ')}`);
  }
  const failures = [];
  for (const name of order) {
    const { backend, entry, missing } = prospect(name, manifest);
    if (missing) {
      failures.push(`${name}: ${missing}`);
      if (given !== undefined) console.warn(`WebDNN: backend '${name}' skipped: ${missing}`);
      continue;
    }
    try {
      return await attempt(name, backend, entry);
    } catch (e) {
      if (options.signal?.aborted) throw e;  // no next backend: the caller gave up
      failures.push(`${name}: ${e.message}`);
      console.warn(`WebDNN: backend '${name}' failed to load (${e.message}); trying the next one`);
    }
  }
  throw new Error(`WebDNN.load('${dir}'): no backend could run the model. ${failures.join('; ')}`);
}

// The error of a load aborted through its signal: an AbortError (as fetch's) that says what was
// aborted, with the signal's reason as its cause.
function abortError(dir, signal, when) {
  const message = `WebDNN.load('${dir}') was aborted ${when}`;
  const e = typeof DOMException === 'function' ? new DOMException(message, 'AbortError') : Object.assign(new Error(message), { name: 'AbortError' });
  e.cause = signal.reason;
  return e;
}

// `work` (a load under way), rejected at once when `signal` aborts. What it still makes after
// that is disposed of: fetches stop with the signal, and the backends free what they took when
// they fail; a runner finished anyway is disposed.
function abortable(work, dir, signal, doing) {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    let settled = false;
    const abort = () => {
      if (settled) return;
      settled = true;
      reject(abortError(dir, signal, `while ${doing()}`));
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then((runner) => {
      signal.removeEventListener('abort', abort);
      if (settled) runner.dispose();
      else {
        settled = true;
        resolve(runner);
      }
    }, (e) => {
      signal.removeEventListener('abort', abort);
      if (signal.aborted) abort();
      else if (!settled) {
        settled = true;
        reject(e);
      }
    });
  });
}

// Tries the backends in order and returns a runner of the first that loads; with `worker: true`,
// all of it in a dedicated worker (in browsers). `signal` (an AbortSignal) aborts the load.
export async function load(directory, options = {}) {
  const dir = String(directory);
  if (![undefined, true, false].includes(options.worker)) {
    throw new Error(`WebDNN.load: worker must be true or false, not ${JSON.stringify(options.worker)}`);
  }
  const { signal } = options;
  if (signal !== undefined && typeof signal?.throwIfAborted !== 'function') {
    throw new Error('WebDNN.load: signal must be an AbortSignal (AbortController.signal)');
  }
  if (signal?.aborted) throw abortError(dir, signal, 'before it started');
  if (options.worker && !isNode && canUseWorker()) {
    const state = { doing: 'loading in the WebDNN worker' };
    return abortable(loadInWorker(dir, options, undefined, state), dir, signal, () => state.doing);
  }
  const files = new ModelFiles(dir, options);
  return abortable(loadInThisThread(dir, options, undefined, files), dir, signal, () => files.doing);
}

