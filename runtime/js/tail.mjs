// A model with an output whose size the input values decide (NonZero, NonMaxSuppression),
// converted for a GPU backend: the GPU runs the model up to that operator (the head, the backend's
// own runner) and the wasm runtime runs the operator and everything after it (the tail, a wasm
// descriptor of its own; docs/descriptor.md, "A wasm tail"). Each run reads back from the GPU what
// the tail takes from the head, as onnxruntime-web does around the operators its GPU EP lacks.
import { hasSimd, loadWasmRunner } from './backend_wasm.mjs';
import { oneAtATime } from './serial.mjs';
import { TensorView } from './tensor.mjs';

// An input that the head and the tail both read: values and shape go to both.
function sharedInput(head, tail) {
  const view = new TensorView({
    role: 'input', name: head.name, dtype: head.dtype, shape: head.shape,
    view: () => tail.view(),
    write: (values) => {
      head.write(values);
      tail.write(values);
    },
    setShape: (shape) => {
      head.changeShape(shape);
      tail.changeShape(shape);
      view.resize(shape);
    },
  });
  return view;
}

class TailedRunner {
  // `head` is null when the model's first operator is already the tail's.
  constructor({ backendName, head, tail, manifest, carried }) {
    this.backendName = backendName;
    this.head = head;
    this.tail = tail;
    this.numThreads = head?.numThreads ?? 1;
    // What the head's runner tells of itself (generations: the shapes a free-dimension head
    // generated; keptShaders and gpuWeightBytes: closures over what its shapes share).
    for (const key of ['kernels', 'subgroups', 'packedDot', 'storage', 'onCpu', 'loadTimes', 'pipelineCount', 'device', 'generations', 'keptShaders', 'gpuWeightBytes']) {
      if (head?.[key] !== undefined) this[key] = head[key];
    }
    const find = (views, name) => views?.find((v) => v.name === name);
    this.inputs = manifest.inputs.map(({ name }) => {
      const h = find(head?.inputs, name), t = find(tail.inputs, name);
      return h && t ? sharedInput(h, t) : h ?? t;
    }).filter(Boolean);  // an input no operator reads is in neither
    this.outputs = manifest.outputs.map(({ name }) => find(head?.outputs, name) ?? find(tail.outputs, name));
    const missing = manifest.outputs.filter((_, i) => !this.outputs[i]).map((p) => p.name);
    if (missing.length) throw new Error(`the model's output ${missing.join(', ')} is neither the GPU's nor the wasm tail's`);
    this.carried = carried.map((name) => {
      const from = find(head?.outputs, name), to = find(tail.inputs, name);
      if (!from || !to) throw new Error(`the wasm tail takes '${name}', which the GPU part does not give`);
      return { from, to };
    });
    this.serial = oneAtATime((step) => step());
    this.run = () => this.serial(() => this.runOnce());
  }

  // The head's outputs are always read back: the tail needs some of them on the CPU.
  async runOnce() {
    if (this.head) await this.head.run();
    for (const { from, to } of this.carried) to.set(from.view(), from.shape);
    await this.tail.run();
  }

  // Both parts' kernels, slowest first; the tail's are marked as such.
  async profile(options) {
    const head = this.head ? await this.head.profile(options) : [];
    const tail = this.tail.profile().map((k) => ({ ...k, tail: 'wasm' }));
    return [...head, ...tail].sort((a, b) => b.ms - a.ms);
  }

  dispose() {
    this.head?.dispose();
    this.tail.dispose();
  }
}

// Loads the tail of backend entry `entry` beside its head (`loadHead(ctx)`, the backend's own
// loader; not called when the entry has no descriptor: nothing runs before the tail).
export async function loadWithTail(ctx, loadHead, backendName) {
  const { entry } = ctx;
  const head = entry.descriptor ? await loadHead(ctx) : null;
  try {
    const tail = await loadWasmRunner({ ...ctx, entry: { descriptor: entry.tail.descriptor }, backendName: 'wasm', variant: hasSimd() ? 'wasm' : 'fallback' });
    try {
      return new TailedRunner({ backendName, head, tail, manifest: ctx.manifest, carried: entry.tail.carried ?? [] });
    } catch (e) {
      tail.dispose();
      throw e;
    }
  } catch (e) {
    head?.dispose();
    throw e;
  }
}
