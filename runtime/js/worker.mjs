// The WebDNN worker: loads a model and runs it off the page's main thread, driven by
// worker_client.mjs. The protocol (structured-clone messages):
//   page -> worker  {id, method, args}        methods: load, run, profile, dispose
//   worker -> page  {id, result}              or {id, error: {name, message}}
//                   {event: 'progress', loaded, total}
// Requests are handled one at a time, in order. One worker holds one runner.
import { setBase } from './fetch.mjs';
import { loadInThisThread } from './load.mjs';

let runner = null;

// What the page's stand-in needs to look like the runner (see WorkerRunner).
function describe(r) {
  const port = (v) => ({ name: v.name, dtype: v.dtype, declaredType: v.declaredType, shape: v.shape, free: Boolean(v.setShape) });
  return {
    backendName: r.backendName, numThreads: r.numThreads, inputs: r.inputs.map(port), outputs: r.outputs.map(port),
    properties: Object.fromEntries(['kernels', 'subgroups', 'packedDot', 'storage', 'maxTextureSize', 'renderTarget', 'relaxedSimd'].filter((k) => r[k] !== undefined).map((k) => [k, r[k]])),
    canProfile: typeof r.profile === 'function',
  };
}

function live() {
  if (!runner) throw new Error('this runner was disposed');
  return runner;
}

const METHODS = {
  async load({ dir, base, options, backend, progress }) {
    if (base) setBase(base);
    const progressCallback = progress ? (loaded, total) => self.postMessage({ event: 'progress', loaded, total }) : undefined;
    runner = await loadInThisThread(dir, { ...options, progressCallback }, backend);
    return { result: describe(runner) };
  },
  async run({ inputs, shapes }) {
    const r = live();
    inputs.forEach((values, i) => r.inputs[i].set(values, shapes[i]));
    await r.run();
    // In the computed dtype: the page's stand-in converts to a declared float16 type itself.
    const outputs = r.outputs.map((o) => o.view().slice());
    return { result: { outputs, shapes: r.outputs.map((o) => o.shape) }, transfer: outputs.map((o) => o.buffer) };
  },
  async profile({ options }) {
    return { result: await live().profile(options) };
  },
  async dispose() {
    runner?.dispose();
    runner = null;
    return { result: null };
  },
};

// Emscripten rethrows a thread worker's failure to start (an Event) as an uncaught error. The
// runtime reports it as the load's own error (backend_wasm.mjs), which the page would otherwise
// get as a vaguer "the WebDNN worker failed".
self.addEventListener('error', (e) => {
  if (e.error instanceof Event) e.preventDefault();
});

let queue = Promise.resolve();
self.onmessage = ({ data: { id, method, args } }) => {
  queue = queue.then(async () => {
    try {
      const { result, transfer = [] } = await METHODS[method](args);
      self.postMessage({ id, result }, transfer);
    } catch (e) {
      self.postMessage({ id, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } });
    }
  });
};
