// A GPU backend's runner for a model with free dimensions. The converter wrote the model's
// symbolic graph (docs/descriptor.md, "Symbolic graphs"); at the first run of each new input
// signature the generator built into the runtime (generator.mjs) makes that shape's descriptor
// and weights, as webdnn-convert --input-shape would, and the backend's own runner executes them.
// The runners of the last few signatures are kept, so that alternating between shapes costs
// nothing after the first run of each; the backend shares what does not change between them
// (the WebGPU device and its pipelines, the WebGL context and its programs, and the weights on
// the GPU whose bytes are the same for both shapes). Same API as every runner: inputs[i].set(values, shape),
// outputs[i].shape after run().
import { oneAtATime } from './serial.mjs';
import { arrayType, TensorView } from './tensor.mjs';

export const CACHED_SHAPES = 4;

export class SymbolicRunner {
  // `makeRunner(descriptor, weights)` loads a generated descriptor into the backend's runner;
  // `release()` frees what the backend shares between them (after every runner is disposed).
  constructor({ backendName, descriptor, generator, generateOptions, sampleShapes, makeRunner, release }) {
    this.backendName = backendName;
    this.numThreads = 1;
    this.generator = generator;
    this.generateOptions = generateOptions;
    this.makeRunner = makeRunner;
    this.release = release;
    this.cache = new Map();  // signature -> runner, least recently used first
    this.current = null;
    this.disposed = false;
    this.generations = [];  // {shapes, generateMs, loadMs, uploadedBytes} of every signature generated
    this.prepared = null;  // the last generated descriptor not yet loaded
    this.serial = oneAtATime((step) => step());
    this.run = (options) => this.serial(() => this.runOnce(options));
    const variables = descriptor.variables;
    this.host = descriptor.inputs.map((e, i) => new (arrayType(variables[e.variable].dtype))(
      sampleShapes[i].reduce((a, b) => a * b, 1)));
    this.stale = descriptor.inputs.map(() => false);  // a new shape, no values for it yet
    this.inputs = descriptor.inputs.map((e, i) => {
      const tensor = new TensorView({
        role: 'input', name: e.name, dtype: variables[e.variable].dtype, shape: sampleShapes[i],
        view: () => this.host[i],
        write: (values) => {
          if (this.host[i].length !== values.length) this.host[i] = new (arrayType(tensor.dtype))(values.length);
          this.host[i].set(values);
          this.stale[i] = false;
        },
        // Checked with the other inputs' shapes at run(): inputs share dimensions.
        setShape: (shape) => {
          tensor.resize(shape);
          this.stale[i] = true;
        },
      });
      return tensor;
    });
    this.outputs = descriptor.outputs.map((e, i) => new TensorView({
      role: 'output', name: e.name, dtype: variables[e.variable].dtype, shape: [],
      view: () => {
        if (!this.current) throw new Error(`output '${e.name}' has no values before the first run()`);
        return this.current.outputs[i].view();
      },
    }));
  }

  // Generates the descriptor for inputs of `shapes` (throwing before anything runs when the model
  // does not take them: the runtime's own check), and sets the outputs' shapes from it. At load
  // this is done for the converter's sample shapes, without loading them (compiling a shape's
  // kernels is the costly part): the first run loads them if it is at those shapes.
  prepare(shapes) {
    const started = performance.now();
    const { descriptor, weights } = this.generator.generate(shapes, this.generateOptions);
    const generation = { shapes, generateMs: performance.now() - started, loadMs: null };
    this.generations.push(generation);
    this.prepared = { key: JSON.stringify(shapes), descriptor, weights, generation };
    this.outputs.forEach((t, i) => t.resize(descriptor.variables[descriptor.outputs[i].variable].shape));
    return this.prepared;
  }

  // The runner for inputs of `shapes`, generated and loaded at the first run at them.
  async runnerFor(shapes) {
    const key = JSON.stringify(shapes);
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const { descriptor, weights, generation } = this.prepared?.key === key ? this.prepared : this.prepare(shapes);
    this.prepared = null;
    const t1 = performance.now();
    const runner = await this.makeRunner(descriptor, weights);
    generation.loadMs = performance.now() - t1;
    generation.uploadedBytes = runner.uploadedWeightBytes ?? null;
    if (this.disposed) {
      runner.dispose();
      throw new Error('this runner was disposed');
    }
    this.cache.set(key, runner);
    for (const [k, old] of this.cache) {
      if (this.cache.size <= CACHED_SHAPES) break;
      this.cache.delete(k);
      if (old === this.current) this.current = null;
      old.dispose();
    }
    return runner;
  }

  async runOnce(options) {
    if (this.disposed) throw new Error('this runner was disposed');
    this.inputs.forEach((t, i) => {
      if (this.stale[i]) throw new Error(`input '${t.name}' has a new shape [${t.shape}] but no values for it: set(values, shape)`);
    });
    const runner = await this.runnerFor(this.inputs.map((t) => t.shape));
    this.inputs.forEach((t, i) => runner.inputs[i].set(this.host[i]));
    this.current = runner;
    await runner.run(options);
    this.outputs.forEach((t, i) => t.resize(runner.outputs[i].shape));
  }

  // Development aid: the current shape's runner's profile (see its backend).
  async profile(options) {
    return this.serial(async () => {
      if (!this.current) throw new Error('profile() needs a run() first: it profiles the shape of the last run');
      return this.current.profile(options);
    });
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const r of this.cache.values()) r.dispose();
    this.cache.clear();
    this.current = null;
    this.generator.dispose();
    this.release?.();
  }
}

// The shape of each input at the converter's sample binding (where the runner starts).
export function sampleShapes(descriptor) {
  const shapes = descriptor.generate?.sample_shapes;
  if (!Array.isArray(shapes) || shapes.length !== descriptor.inputs.length) {
    throw new Error('the symbolic graph descriptor lacks generate.sample_shapes');
  }
  return shapes;
}
