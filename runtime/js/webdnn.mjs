// WebDNN: run a model converted by webdnn-convert in a web page or in Node.js.
//
//   import WebDNN from './webdnn/webdnn.mjs';
//   const runner = await WebDNN.load('out');
//   runner.inputs[0].set(pixels); await runner.run(); runner.outputs[0].toActual();
import { canUseThreads, FORMAT_VERSION, hasSimd, hasWebAssembly, loadWasmRunner } from './backend_wasm.mjs';
import { loadWebGlRunner, webglAvailable } from './backend_webgl.mjs';
import { loadWebGpuRunner, webgpuAvailable } from './backend_webgpu.mjs';
import { fetchJson, join } from './fetch.mjs';
import * as Image from './image.mjs';
import * as WebDNNMath from './math.mjs';

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
    load: (ctx) => loadWasmRunner({ ...ctx, backendName: 'wasm',
      variant: canUseThreads() && (ctx.options.numThreads ?? 2) > 1 ? 'wasm-threaded' : 'wasm' }),
  },
  fallback: {
    descriptor: 'wasm',
    available: () => '',
    load: (ctx) => loadWasmRunner({ ...ctx, backendName: 'fallback', variant: 'fallback' }),
  },
};

const PREFERENCE = ['webgpu', 'webgl', 'wasm', 'fallback'];

export function registerBackend(name, backend) {
  BACKENDS[name] = backend;
}

async function readManifest(dir) {
  let manifest;
  try {
    manifest = await fetchJson(join(dir, 'manifest.json'), 'manifest');
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

// Tries the backends in order and returns a runner of the first that loads.
export async function load(directory, options = {}) {
  const dir = String(directory);
  const manifest = await readManifest(dir);
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
    const backend = BACKENDS[name];
    const entry = manifest.backends.find((b) => b.name === backend.descriptor);
    const missing = !entry ? `the model was not converted for it (webdnn-convert --backend ${backend.descriptor})`
      : backend.available();
    if (missing) {
      failures.push(`${name}: ${missing}`);
      if (given !== undefined) console.warn(`WebDNN: backend '${name}' skipped: ${missing}`);
      continue;
    }
    try {
      return await backend.load({ dir, manifest, entry, options });
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
      console.warn(`WebDNN: backend '${name}' failed to load (${e.message}); trying the next one`);
    }
  }
  throw new Error(`WebDNN.load('${dir}'): no backend could run the model. ${failures.join('; ')}`);
}

export { Image, WebDNNMath as Math };

const WebDNN = { load, Image, Math: WebDNNMath, registerBackend };
export default WebDNN;
