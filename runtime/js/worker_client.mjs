// The page's side of the WebDNN worker (worker.mjs): a runner that looks like any other (inputs,
// outputs, run, dispose) while the real one loads and computes in a dedicated Worker, so that
// the page stays responsive. Inputs are copied to the worker at run(); outputs come back
// transferred.
import { arrayType, TensorView } from './tensor.mjs';

// Messages to one worker and their answers. Everything pending is rejected when the worker
// fails or is terminated, so that callers never wait forever (abort, dispose and errors are
// all terminate(reason)).
export class WorkerClient {
  constructor(onEvent) {
    // Written out in one expression so that bundlers (Vite, webpack, Parcel) find the worker.
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.next = 1;
    this.closed = null;
    this.worker.onmessage = ({ data }) => {
      if (data.event) return onEvent?.(data);
      const call = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (!call) return;
      if (data.error) call.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else call.resolve(data.result);
    };
    // A module that fails to load or throws at the top level: the event says little more.
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.terminate(new Error(`the WebDNN worker failed${e.message ? `: ${e.message}` : ' to start (is worker.mjs served beside webdnn.mjs?)'}`));
    };
    this.worker.onmessageerror = () => this.terminate(new Error('a message from the WebDNN worker could not be read'));
  }

  // Calls `method` in the worker; resolves with its result. `signal` (an AbortSignal) ends the
  // worker, the only way to stop a computation under way there.
  call(method, args, { transfer = [], signal } = {}) {
    if (this.closed) return Promise.reject(this.closed);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const abort = () => this.terminate(signal.reason);
      signal?.addEventListener('abort', abort, { once: true });
      const done = (f) => (value) => {
        signal?.removeEventListener('abort', abort);
        f(value);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      this.worker.postMessage({ id, method, args }, transfer);
    });
  }

  // Ends the worker at once; pending calls reject with `reason`.
  terminate(reason = new Error('the WebDNN worker was terminated')) {
    if (this.closed) return;
    this.closed = reason;
    this.worker.terminate();
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
  }
}

export function canUseWorker() {
  return typeof Worker === 'function';
}

class WorkerRunner {
  constructor(client, info) {
    this.client = client;
    this.backendName = info.backendName;
    this.numThreads = info.numThreads;
    this.worker = true;
    Object.assign(this, info.properties);
    const port = (p, role) => {
      const host = { values: new (arrayType(p.dtype))(p.shape.reduce((a, b) => a * b, 1)) };
      // A model with free dimensions: a new shape travels with the next run.
      const setShape = p.free ? (shape) => {
        view.resize(shape);
        host.values = new (arrayType(p.dtype))(view.size);
      } : undefined;
      const view = new TensorView({ role, name: p.name, dtype: p.dtype, declaredType: p.declaredType, shape: p.shape, setShape,
        view: () => host.values, write: (values) => host.values.set(values) });
      return { view, host };
    };
    this.inputPorts = info.inputs.map((p) => port(p, 'input'));
    this.outputPorts = info.outputs.map((p) => port(p, 'output'));
    this.inputs = this.inputPorts.map((p) => p.view);
    this.outputs = this.outputPorts.map((p) => p.view);
    if (info.canProfile) this.profile = (options) => this.live().call('profile', { options });
  }

  live() {
    if (this.client.closed) throw new Error('this runner was disposed');
    return this.client;
  }

  async run() {
    const { outputs, shapes } = await this.live().call('run', {
      inputs: this.inputPorts.map((p) => p.host.values), shapes: this.inputs.map((v) => v.shape),
    });
    outputs.forEach((values, k) => {
      this.outputPorts[k].host.values = values;
      this.outputs[k].resize(shapes[k]);
    });
  }

  dispose() {
    this.client.terminate(new Error('this runner was disposed'));
  }
}

// WebDNN.load in a worker: `backend` names the one backend to load, or none for the whole
// fallback order. Functions and signals do not cross into the worker: progress comes back as
// events (noted in `state.doing`, for the message of an abort), and an abort ends the worker.
export async function loadInWorker(dir, options, backend, state = {}) {
  const { progressCallback, signal, ...rest } = options;
  if (rest.webgpuDevice) throw new Error('WebDNN.load: webgpuDevice cannot be used with worker: true (a GPUDevice stays in its thread)');
  const client = new WorkerClient((e) => {
    if (e.event !== 'progress') return;
    state.doing = `downloading the weights in the WebDNN worker (${e.loaded} of ${e.total} bytes)`;
    progressCallback?.(e.loaded, e.total);
  });
  // Relative locations mean the same there as here: the worker resolves them against this base.
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  try {
    const info = await client.call('load', { dir, base, options: { ...rest, worker: false }, backend, progress: true }, { signal });
    return new WorkerRunner(client, info);
  } catch (e) {
    client.terminate(e);
    throw e;
  }
}
