// The generator built into the runtime (webdnn-generator, from runtime/wasm/generator_api.cc): the
// transpiler's rules and GPU backend generators built with Emscripten. A GPU backend given a
// model with free dimensions (a symbolic graph descriptor) asks it for the descriptor and weights
// of each input signature it meets, and runs those as it runs a converted model.
import { memory, withString } from './backend_wasm.mjs';
import { isNode, nodeModule } from './fetch.mjs';

const FILES = () => ({
  glue: new URL('./webdnn-generator.mjs', import.meta.url),
  wasm: new URL('./webdnn-generator.wasm', import.meta.url),
});

let started = null;  // one instance, shared by every model

async function generatorModule() {
  started ??= (async () => {
    const files = FILES();
    const { default: create } = await import(/* @vite-ignore */ /* webpackIgnore: true */ files.glue.href);
    const options = { printErr: (text) => console.warn(text) };
    if (isNode) options.wasmBinary = nodeModule('fs').readFileSync(nodeModule('url').fileURLToPath(files.wasm));
    else options.locateFile = (name) => (name.endsWith('.wasm') ? files.wasm : new URL(name, files.glue)).href;
    try {
      return await create(options);
    } catch (e) {
      throw new Error(`cannot start the generator webdnn-generator (models with free dimensions on GPU backends): ${e?.message ?? e}`);
    }
  })();
  try {
    return await started;
  } catch (e) {
    started = null;
    throw e;
  }
}

const lastError = (m) => m.UTF8ToString(m._webdnn_generator_last_error());

// A symbolic graph descriptor and its decompressed weights, held in the generator until dispose().
export class Generator {
  static async create(descriptor, weights) {
    const m = await generatorModule();
    const handle = withString(m, JSON.stringify(descriptor), (ptr) => m._webdnn_generator_create(ptr, weights.length));
    if (!handle) throw new Error(lastError(m));
    new Uint8Array(memory(m), m._webdnn_generator_weights(handle), weights.length).set(weights);
    return new Generator(m, handle);
  }

  constructor(m, handle) {
    this.module = m;
    this.handle = handle;
  }

  // {descriptor, weights} for inputs of `shapes` (a list of shapes); throws the runtime's own
  // message when the model does not take them (the same as the wasm backend's).
  generate(shapes, options = {}) {
    const m = this.module;
    if (!this.handle) throw new Error('this runner was disposed');
    const result = withString(m, JSON.stringify(shapes), (s) => withString(m, JSON.stringify(options),
      (o) => m._webdnn_generate(this.handle, s, o)));
    if (!result) throw new Error(lastError(m));
    try {
      const descriptor = JSON.parse(m.UTF8ToString(m._webdnn_result_descriptor(result)));
      const size = m._webdnn_result_weights_size(result);
      const weights = new Uint8Array(memory(m), m._webdnn_result_weights(result), size).slice();
      return { descriptor, weights };
    } finally {
      m._webdnn_result_destroy(result);
    }
  }

  dispose() {
    if (this.handle) this.module._webdnn_generator_destroy(this.handle);
    this.handle = 0;
  }
}
