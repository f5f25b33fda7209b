// The engines the benchmark compares, each behind the same two calls, in the benchmark page and in
// Node.js (bench/gpu):
//   const session = await ENGINES[name].load(config);   // ready to run
//   const outputs = await session.run(inputs);           // { name: { shape, data } }, on the CPU
// A timed run includes writing the inputs and reading the outputs back, for both engines, since
// that is what a page using either one pays.

// onnxruntime-web ships one bundle per execution provider; each loads its own wasm build
// (the wasm bundle the plain SIMD-threaded one, webgpu the asyncify one with its WebGPU EP).
const ORT_BUNDLES = { wasm: 'ort.wasm.min.mjs', webgpu: 'ort.webgpu.min.mjs', webgl: 'ort.webgl.min.mjs' };

// Where each engine's code is: in the benchmark page, served at /webdnn and /ort; Node.js
// (bench/gpu) passes config.lib with file: URLs, the bundle to use and onnxruntime-web's wasm
// bytes (Node's fetch reads no files).
function where(config) {
  return { webdnn: '/webdnn/webdnn.mjs', ort: globalThis.location ? new URL('/ort/', location.href).href : undefined, ...config.lib };
}

// WebDNN's half-float codecs, beside its package (the page and Node.js alike).
const halves = (config) => import(where(config).webdnn.replace(/webdnn\.mjs$/, 'half.mjs'));

// A float16 output as float32 values, whatever array the engine gave (bits or Float16Array), so
// that the two engines' outputs compare as numbers.
const floats = (data, half) => half.fromDeclared(data, 'float16');
// float16 inputs as bits for both engines, converted once per input: the timed runs time the
// engines, not the harness.
const bitsOf = new WeakMap();
function halfBits(data, half) {
  if (!bitsOf.has(data)) bitsOf.set(data, half.floatsToHalves(data));
  return bitsOf.get(data);
}

function unavailable(message) {
  return Object.assign(new Error(message), { unavailable: true });
}

const webdnn = {
  async load(config) {
    const { backend, threads, model } = config;
    const { default: WebDNN } = await import(where(config).webdnn);
    let bytes = 0;
    let runner;
    try {
      runner = await WebDNN.load(model.webdnn, {
        backendOrder: [backend], numThreads: threads, progressCallback: (loaded, total) => { bytes = total; },
        ...config.webdnnOptions,  // bench/gpu/run.mjs --webdnn-option
      });
    } catch (e) {
      if (/unknown backend/.test(e.message)) throw unavailable(`WebDNN has no '${backend}' backend yet`);
      throw e;
    }
    if (runner.backendName !== backend) throw new Error(`WebDNN ran '${runner.backendName}', not '${backend}'`);
    const half = await halves(config);
    const byName = (views, name, role) => {
      const view = views.find((v) => v.name === name);
      if (!view) throw new Error(`WebDNN runner has no ${role} '${name}' (has ${views.map((v) => v.name).join(', ')})`);
      return view;
    };
    return {
      // loadTimes, pipelineCount, kernels: the webgpu runner's own account of its load
      info: { weightBytes: bytes, loadTimes: runner.loadTimes, pipelineCount: runner.pipelineCount, kernels: runner.kernels, subgroups: runner.subgroups,
        storage: runner.storage },
      profile: runner.profile && ((options) => runner.profile(options)),
      async run(inputs) {
        // awaited in case a GPU backend's views turn asynchronous; free for the wasm one
        for (const input of inputs) {
          const view = byName(runner.inputs, input.name, 'input');
          // A new shape only where it changed: a model of fixed shapes takes no other.
          const same = view.shape.length === input.shape.length && view.shape.every((d, i) => d === input.shape[i]);
          await view.set(input.dtype === 'float16' ? halfBits(input.data, half) : input.data, same ? undefined : input.shape);
        }
        await runner.run();
        const outputs = {};
        for (const o of runner.outputs) {
          const data = await o.toActual();
          outputs[o.name] = { shape: o.shape, data: o.declaredType === 'float16' ? floats(data, half) : data };
        }
        return outputs;
      },
      dispose: () => runner.dispose(),
    };
  },
};

const ort = {
  async load(config) {
    const { backend, threads, model } = config;
    const at = where(config);
    const bundle = at.ortBundle ?? ORT_BUNDLES[backend];
    if (!bundle) throw unavailable(`onnxruntime-web has no '${backend}' execution provider`);
    const lib = await import(`${at.ort}${bundle}`);
    lib.env.wasm.wasmPaths = at.ort;
    if (at.ortWasmBinary) lib.env.wasm.wasmBinary = at.ortWasmBinary;
    lib.env.wasm.numThreads = threads;
    lib.env.wasm.proxy = false;  // run on the page's thread like WebDNN, not in a proxy worker
    lib.env.logLevel = 'error';
    if (backend === 'webgpu') lib.env.webgpu.powerPreference = 'high-performance';  // as WebDNN asks
    const session = await lib.InferenceSession.create(model.onnxBytes ?? model.onnx, {
      executionProviders: [backend], graphOptimizationLevel: 'all',
    });
    const half = await halves(config);
    return {
      info: { outputNames: session.outputNames },
      async run(inputs) {
        const feeds = {};
        for (const input of inputs) {
          const data = input.dtype === 'float16' ? halfBits(input.data, half) : input.data;
          feeds[input.name] = new lib.Tensor(input.dtype, data, input.shape);
        }
        const results = await session.run(feeds);
        const outputs = {};
        for (const name of session.outputNames) {
          const t = results[name];
          // getData() downloads GPU-resident outputs; for wasm it is the data already there.
          const data = t.location === 'cpu' ? t.data : await t.getData(true);
          outputs[name] = { shape: t.dims, data: t.type === 'float16' ? floats(data, half) : data };
        }
        return outputs;
      },
      dispose: () => session.release(),
    };
  },
};

export const ENGINES = { webdnn, ort };
