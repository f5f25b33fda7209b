// The wasm and fallback backends: the runtime core built with Emscripten (WebAssembly with SIMD,
// with or without threads, or plain JavaScript) running the wasm descriptor.
import { isNode, join, nodeModule } from './fetch.mjs';
import { arrayType, TensorView } from './tensor.mjs';
import { FORMAT_VERSION } from './version.mjs';

// (module (func (result v128) i32.const 0 i8x16.splat))
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);

// (module (func (result v128) i32.const 0 i8x16.splat (three times) f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11]);

export function hasWebAssembly() {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
}

export function hasSimd() {
  try {
    return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function hasRelaxedSimd() {
  try {
    return hasSimd() && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

// The SIMD runtime `variant` ('wasm', 'wasm-threaded') in its relaxed build where the engine has
// relaxed SIMD and `options.wasmRelaxedSimd` is not false.
function simdVariant(variant, options) {
  return options.wasmRelaxedSimd !== false && hasRelaxedSimd() ? `${variant}-relaxed` : variant;
}

// Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages.
export function canUseThreads() {
  if (!hasWebAssembly() || typeof SharedArrayBuffer !== 'function') return false;
  return isNode || globalThis.crossOriginIsolated === true;
}

export async function defaultThreads() {
  if (!canUseThreads()) return 1;
  const cores = isNode ? nodeModule('os').availableParallelism() : navigator.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(cores, 4));
}

// The runtime's files per variant, each address written out in full so that bundlers (Vite,
// webpack, Parcel) copy the file and rewrite the address; Emscripten's loader is told where
// they are (locateFile), since a bundler may rename them.
const RUNTIME_FILES = {
  wasm: () => ({
    glue: new URL('./webdnn-runtime-wasm.mjs', import.meta.url),
    wasm: new URL('./webdnn-runtime-wasm.wasm', import.meta.url),
  }),
  'wasm-relaxed': () => ({
    glue: new URL('./webdnn-runtime-wasm-relaxed.mjs', import.meta.url),
    wasm: new URL('./webdnn-runtime-wasm-relaxed.wasm', import.meta.url),
  }),
  'wasm-threaded': () => ({
    glue: new URL('./webdnn-runtime-wasm-threaded.mjs', import.meta.url),
    wasm: new URL('./webdnn-runtime-wasm-threaded.wasm', import.meta.url),
    worker: new URL('./webdnn-runtime-wasm-threaded.worker.js', import.meta.url),
  }),
  'wasm-threaded-relaxed': () => ({
    glue: new URL('./webdnn-runtime-wasm-threaded-relaxed.mjs', import.meta.url),
    wasm: new URL('./webdnn-runtime-wasm-threaded-relaxed.wasm', import.meta.url),
    worker: new URL('./webdnn-runtime-wasm-threaded-relaxed.worker.js', import.meta.url),
  }),
  fallback: () => ({
    glue: new URL('./webdnn-runtime-fallback.mjs', import.meta.url),
  }),
};

// A bundler may inline a small file as a data: URL (Vite does with the threads' worker). A worker
// from a data: URL runs in an opaque origin that may not import the runtime; one from a blob: URL
// runs in the page's.
function workerUrl(url) {
  if (url.protocol !== 'data:') return url.href;
  const comma = url.href.indexOf(',');
  const head = url.href.slice(0, comma), body = url.href.slice(comma + 1);
  const text = head.endsWith(';base64') ? atob(body) : decodeURIComponent(body);
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

const modules = new Map();  // one runtime instance per variant and thread count, shared by runners

async function runtimeModule(variant, threads) {
  const key = `${variant}/${threads}`;
  if (!modules.has(key)) {
    modules.set(key, (async () => {
      const files = RUNTIME_FILES[variant]();
      const { default: create } = await import(/* @vite-ignore */ /* webpackIgnore: true */ files.glue.href);
      // Emscripten's loader reports its trouble starting up as several console warnings; they
      // belong in the one error (and the one warning of a fallback) instead.
      const startup = [];
      let printErr = (text) => startup.push(text);
      const options = { webdnnThreads: Math.max(0, threads - 1), printErr: (text) => printErr(text) };
      if (!isNode) {
        let threadWorker;  // made once, for every thread
        options.locateFile = (name) => {
          if (name.endsWith('.worker.js') && files.worker) return (threadWorker ??= workerUrl(files.worker));
          return ((name.endsWith('.wasm') && files.wasm) || new URL(name, files.glue)).href;
        };
        options.mainScriptUrlOrBlob = files.glue.href;  // what the threads' workers import
      } else if (variant !== 'fallback') {
        // Emscripten's loader fetch()es the .wasm, which Node.js refuses for files.
        options.wasmBinary = nodeModule('fs').readFileSync(nodeModule('url').fileURLToPath(files.wasm));
      }
      // Emscripten waits for every thread's worker to start, forever if one cannot: its script
      // missing fails the worker before Emscripten listens to it, and a later error is only
      // printed. Either fails the start here.
      let workerFailed;
      const failed = new Promise((_, reject) => { workerFailed = reject; });
      const threadFailure = () => workerFailed(new Error('a thread\'s worker failed to start' +
        (files.worker ? ` (is ${files.worker.pathname.split('/').pop()} served beside webdnn.mjs?)` : '')));
      printErr = (text) => {
        startup.push(text);
        if (/^worker sent an error/.test(text)) threadFailure();
      };
      let m;
      try {
        const created = create(options);
        // The glue has made the threads' workers by now (options is its Module object).
        for (const w of options.PThread?.unusedWorkers ?? []) w.addEventListener?.('error', threadFailure, { once: true });
        m = await Promise.race([created, failed]);
      } catch (e) {
        options.PThread?.terminateAllThreads();
        const said = startup.length ? ` (the loader said: ${startup.join('; ')})` : '';
        throw new Error(`cannot start the runtime webdnn-runtime-${variant}: ${e?.message ?? e}${said}`);
      }
      printErr = (text) => console.warn(text);
      if (threads > 1) m._webdnn_set_num_threads(threads);
      // Node.js keeps a process alive while a worker thread is referenced: without this a script
      // that used threads would never exit. Workers run only inside run(), which waits for them.
      if (isNode) for (const w of [...m.PThread?.unusedWorkers ?? [], ...m.PThread?.runningWorkers ?? []]) w.unref?.();
      return m;
    })());
  }
  try {
    return await modules.get(key);
  } catch (e) {
    modules.delete(key);
    throw e;
  }
}

function lastError(m) {
  return m.UTF8ToString(m._webdnn_last_error());
}

// The module's memory as it is now (it may have grown since a view was made).
export function memory(m) {
  return (m.wasmMemory ?? m.asm?.memory)?.buffer ?? m.HEAPU8.buffer;
}

// fn(pointer) with `text` as a C string in the module's memory, freed after.
export function withString(m, text, fn) {
  const size = m.lengthBytesUTF8(text) + 1;
  const ptr = m._malloc(size);
  try {
    m.stringToUTF8(text, ptr, size);
    return fn(ptr);
  } finally {
    m._free(ptr);
  }
}

export function checkDescriptor(d, where) {
  if (d?.format !== 'webdnn-graph-descriptor') throw new Error(`${where} is not a webdnn graph descriptor`);
  if (d.version !== FORMAT_VERSION) {
    throw new Error(`${where} has format version ${d.version}, but this WebDNN reads version ${FORMAT_VERSION}; ` +
      'convert the model again with a matching webdnn-convert');
  }
}

class WasmRunner {
  constructor(m, handle, descriptor, backendName, relaxedSimd) {
    this.backendName = backendName;
    this.numThreads = m._webdnn_num_threads();
    if (backendName === 'wasm') this.relaxedSimd = relaxedSimd;
    this.module = m;
    this.handle = handle;
    // Ports start at the converter's sample shapes (a model with free dimensions); the runtime
    // says what they are.
    const shapes = this.portShapes();
    const view = (entry, i, pointer, role) => {
      const v = descriptor.variables[entry.variable];
      const symbolic = (list) => list.some((d) => typeof d !== 'number');
      if (!symbolic(v.shape) && !symbolic(v.strides)) {
        const contiguous = v.shape.reduceRight((acc, d, k) => acc && v.strides[k] === v.shape.slice(k + 1).reduce((a, b) => a * b, 1), true);
        if (!contiguous) throw new Error(`${role} '${entry.name}' is not laid out row-major in the descriptor`);
      }
      const Type = arrayType(v.dtype);
      const at = () => new Type(memory(m), pointer(), tensor.size);
      const write = (values) => {
        if (role === 'input' && this.pending) this.pending.set(i, values);
        else at().set(values);
      };
      const tensor = new TensorView({
        role, name: entry.name, dtype: v.dtype, shape: shapes[`${role}s`][i], view: at, write,
        setShape: role === 'input' && this.symbolic ? (shape) => this.setShape(tensor, shape) : undefined,
      });
      return tensor;
    };
    this.symbolic = Array.isArray(descriptor.symbols) && descriptor.symbols.length > 0;
    // Sizes that the input values decide (NonZero...): the outputs' shapes are known after run().
    this.findsSizes = this.symbolic && descriptor.symbols.some((s) => s?.data);
    this.pending = null;  // input index -> values, while new shapes wait for the next run()
    // After dispose() the runner's memory may already belong to another runner of the same
    // module: its views must refuse, not read or write there.
    this.inputs = descriptor.inputs.map((e, i) => view(e, i, () => m._webdnn_input_data(this.live(), i), 'input'));
    this.outputs = descriptor.outputs.map((e, i) => view(e, i, () => m._webdnn_output_data(this.live(), i), 'output'));
  }

  portShapes() {
    return JSON.parse(this.module.UTF8ToString(this.module._webdnn_port_shapes(this.live())));
  }

  // A new shape for an input: kept until run(), when the runtime checks all inputs' shapes
  // together (inputs share dimensions) and switches to the plan for them.
  setShape(tensor, shape) {
    if (!this.pending) this.pending = new Map();
    tensor.resize(shape);
  }

  applyShapes() {
    const m = this.module;
    // Inputs not set since the change keep their values if they keep their shape.
    const before = this.portShapes().inputs;
    this.inputs.forEach((t, i) => {
      if (this.pending.has(i)) return;
      if (t.shape.length !== before[i].length || t.shape.some((d, k) => d !== before[i][k])) {
        throw new Error(`input '${t.name}' has a new shape [${t.shape}] but no values for it: set(values, shape)`);
      }
      this.pending.set(i, t.view().slice());
    });
    const shapes = JSON.stringify(this.inputs.map((t) => t.shape));
    if (withString(m, shapes, (ptr) => m._webdnn_set_input_shapes(this.live(), ptr)) < 0) throw new Error(lastError(m));
    const pending = this.pending;
    this.pending = null;
    const now = this.portShapes();
    this.outputs.forEach((t, i) => t.resize(now.outputs[i]));
    for (const [i, values] of pending) this.inputs[i].write(values);
  }

  live() {
    if (!this.handle) throw new Error('this runner was disposed');
    return this.handle;
  }

  async run() {
    if (this.pending) this.applyShapes();
    if (this.module._webdnn_run(this.live()) < 0) throw new Error(`run failed: ${lastError(this.module)}`);
    if (this.findsSizes) {
      const now = this.portShapes();
      this.outputs.forEach((t, i) => t.resize(now.outputs[i]));
    }
  }

  // Runs once, timing each kernel: [{op, kernel, ms}], slowest first.
  profile() {
    return JSON.parse(this.module.UTF8ToString(this.module._webdnn_profile(this.live())));
  }

  dispose() {
    if (this.handle) this.module._webdnn_runner_destroy(this.handle);
    this.handle = 0;
  }
}

// Streams the weights file of `descriptor` into a loader of runtime module `m`; returns the loader.
async function feedWeights(m, descriptor, where, files, options) {
  const loader = withString(m, JSON.stringify(descriptor), (ptr) => m._webdnn_loader_create(ptr));
  if (!loader) throw new Error(`descriptor ${where}: ${lastError(m)}`);
  const weights = descriptor.weights;
  try {
    await files.stream(weights.file, 'weights file', weights.compressed_bytes, weights.crc32, (chunk) => {
      const ptr = m._webdnn_loader_chunk(loader, chunk.length);
      new Uint8Array(memory(m), ptr, chunk.length).set(chunk);
      if (m._webdnn_loader_feed(loader, chunk.length) < 0) throw new Error(lastError(m));
    }, options.progressCallback);
  } catch (e) {
    m._webdnn_loader_destroy(loader);
    throw e;
  }
  return loader;
}

// Loads the wasm descriptor of `dir` into the runtime `variant` ('wasm', 'wasm-threaded',
// 'fallback').
export async function loadWasmRunner({ dir, entry, options, files, variant, backendName }) {
  const where = `'${join(dir, entry.descriptor)}'`;
  const descriptor = await files.json(entry.descriptor);
  checkDescriptor(descriptor, `descriptor ${where}`);
  const threads = variant === 'wasm-threaded' ? options.numThreads ?? await defaultThreads() : 1;
  const runtime = variant === 'fallback' ? variant : simdVariant(variant, options);
  const m = await runtimeModule(runtime, threads);
  const loader = await feedWeights(m, descriptor, where, files, options);
  const handle = m._webdnn_loader_finish(loader);
  if (!handle) throw new Error(lastError(m));
  return new WasmRunner(m, handle, descriptor, backendName, runtime.endsWith('-relaxed'));
}

// For backends that run elsewhere (WebGPU, WebGL): the checked, decompressed weights of a
// descriptor, passed to `use(bytes)` while they are valid (a view into the runtime's memory).
export async function withWeights({ files, descriptor, where, options }, use) {
  // The module a wasm runner would use, so that falling back to one loads no second module.
  const m = await runtimeModule(hasSimd() ? simdVariant('wasm', options) : 'fallback', 1);
  const loader = await feedWeights(m, descriptor, where, files, options);
  try {
    if (m._webdnn_loader_finish_weights(loader) < 0) throw new Error(lastError(m));
    const size = m._webdnn_loader_weights_size(loader);
    return await use(new Uint8Array(memory(m), m._webdnn_loader_weights(loader), size));
  } finally {
    m._webdnn_loader_destroy(loader);
  }
}
