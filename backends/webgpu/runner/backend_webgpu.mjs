// The WebGPU backend, runtime side: compiles the descriptor's WGSL shaders into pipelines once at
// load (asynchronously, while the weights download, so the first run does not stall), uploads
// the weights once (then runs the descriptor's `prepare` dispatches, which write the larger forms
// of weights some kernels read: Winograd's), and encodes every run into a few command buffers
// (submitted as they are made: submit()), reading back only the outputs.
// A device lost or a pipeline failing during load makes load() throw (WebDNN.load then tries the
// next backend); a device lost later makes run() reject with a message saying so.
// GPU in, GPU out: an input may be set from a GPUBuffer or an image (webgpu_image_input.mjs), each
// output is also kept in a GPUBuffer of its own (outputs[i].gpuBuffer), and run({download:
// false}) leaves the outputs there; options.webgpuDevice runs on the page's device.
import { checkDescriptor, withWeights } from '../../../runtime/js/backend_wasm.mjs';
import { join } from '../../../runtime/js/fetch.mjs';
import { Generator } from '../../../runtime/js/generator.mjs';
import { RefCache } from '../../../runtime/js/ref_cache.mjs';
import { oneAtATime } from '../../../runtime/js/serial.mjs';
import { sampleShapes, SymbolicRunner } from '../../../runtime/js/symbolic_runner.mjs';
import { arrayType, TensorView } from '../../../runtime/js/tensor.mjs';
import { ImageInput } from './webgpu_image_input.mjs';
import { createPipelines, keptPipelines } from './webgpu_pipelines.mjs';
import { profileDispatches } from './webgpu_profile.mjs';
import { bufferBytes, elementBytes, fromHalves, halfStorage, isWeights, programOf, toHalves, weightsContents, words } from './webgpu_storage.mjs';
import { shareWeights } from './webgpu_weights.mjs';
import { validateWebGpuDescriptor } from './validate.mjs';

export function webgpuAvailable() {
  return typeof navigator === 'object' && navigator.gpu ? '' : 'WebGPU is not available in this browser';
}

// Limits worth raising when the adapter offers more than the defaults.
const LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX'];

// f32 storage on the GPU: values of other dtypes go through f32 both ways.
function toF32(values) {
  return values instanceof Float32Array ? values : Float32Array.from(values, Number);
}

// Adapters that run compute shaders on the CPU (SwiftShader, fallback adapters) get the
// descriptor's CPU kernels where it has them (no workgroup memory or barriers); GPUs the others.
// options.webgpuKernels ('gpu' | 'cpu') overrides the choice.
export function cpuKernels(adapter, options = {}) {
  if (options.webgpuKernels !== undefined) {
    if (!['gpu', 'cpu'].includes(options.webgpuKernels)) {
      throw new Error(`webgpuKernels must be 'gpu' or 'cpu', not ${JSON.stringify(options.webgpuKernels)}`);
    }
    return options.webgpuKernels === 'cpu';
  }
  const info = adapter.info ?? {};
  return info.architecture === 'swiftshader' || info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
}

// Whether the GPU kernels' subgroups variants run (where the descriptor has them): on a device
// with 'subgroups' unless options.webgpuSubgroups is false (for comparing, and testing the others).
function subgroupKernels(device, cpu, options) {
  return !cpu && options.webgpuSubgroups !== false && device.features.has('subgroups');
}

// Whether the integer products' packed_dot variants run (where the descriptor has them): where
// this WGSL has dot4I8Packed (the language feature packed_4x8_integer_dot_product), unless
// options.webgpuPackedDot is false (for comparing, and testing the others).
export function packedDotKernels(options = {}) {
  const features = globalThis.navigator?.gpu?.wgslLanguageFeatures;
  return options.webgpuPackedDot !== false && !!features?.has?.('packed_4x8_integer_dot_product');
}

// The buffers that `dispatches` bind. A buffer of the runner's own that none does (Winograd's,
// where the CPU kernels run) is made only 4 bytes long.
function bound(dispatches) {
  return new Set(dispatches.flatMap((d) => d.bindings.map(([b]) => b)));
}

function lostMessage(info) {
  return `the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}); ` +
    'load the model again';
}

class WebGpuRunner {
  constructor(device, descriptor, dispatches, buffers, pipelines, lost, ownDevice) {
    this.backendName = 'webgpu';
    this.device = device;
    this.ownDevice = ownDevice;
    this.descriptor = descriptor;
    this.buffers = buffers;
    this.lost = lost;  // {info} once the device is lost
    this.disposed = false;
    // Runs and profiles share the buffers: one at a time (see serial.mjs).
    this.serial = oneAtATime((step) => step());
    this.run = (options) => this.serial(() => this.runOnce(options));
    this.pipelines = pipelines;
    this.steps = this.stepsOf(dispatches);
    // A port's values come from `host` unless `source` (a GPUBuffer) is set; an output's are
    // in `gpuBuffer` after each run, and in `host` when that run downloaded them.
    const port = (entry, role) => {
      const v = descriptor.variables[entry.variable];
      const size = v.shape.reduce((a, b) => a * b, 1);
      // half: stored as f16 (the f16 program's float tensors), converted on the way in and out
      // (shareWeights' variables say it themselves, their buffers renumbered).
      const half = v.half ?? elementBytes(descriptor.buffers[v.buffer]) === 2;
      const p = { host: { values: new (arrayType(v.dtype))(size) }, variable: v, size, half, source: null, downloaded: true };
      const gpu = role === 'input' ? {
        writeImage: (source, layout) => {
          this.check();
          if (half) throw new Error(`input '${entry.name}' is stored as f16 here (runner.storage); an image input needs the f32 program (load option webgpuF16: false)`);
          p.image ??= new ImageInput(device, v.bytes, { videoThroughCanvas: this.onCpu });
          p.image.write(source, layout);
          p.source = p.image.buffer;
        },
        writeBuffer: (buffer) => {
          const bytes = words(v.bytes);
          if (buffer.size < bytes) throw new Error(`input '${entry.name}' takes ${bytes} bytes of ${half ? 'f16' : 'f32'} values, but the GPUBuffer has ${buffer.size}`);
          p.source = buffer;
        },
      } : {};
      p.view = new TensorView({ role, name: entry.name, dtype: v.dtype, shape: v.shape, ...gpu,
        view: () => {
          if (!p.downloaded) throw new Error(`${role} '${entry.name}' was left on the GPU (run({download: false})): read its gpuBuffer`);
          return p.host.values;
        },
        write: (values) => {
          p.host.values.set(values);
          p.source = null;
        } });
      return p;
    };
    this.inputPorts = descriptor.inputs.map((e) => port(e, 'input'));
    this.outputPorts = descriptor.outputs.map((e) => port(e, 'output'));
    for (const p of this.outputPorts) {
      p.gpuBuffer = device.createBuffer({ size: Math.max(4, words(p.variable.bytes)),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      p.view.gpuBuffer = p.gpuBuffer;
    }
    this.inputs = this.inputPorts.map((p) => p.view);
    this.outputs = this.outputPorts.map((p) => p.view);
    this.staging = this.outputPorts.map((p) => device.createBuffer({
      size: Math.max(4, words(p.variable.bytes)), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  }

  stepsOf(dispatches) {
    return dispatches.map((d) => ({
      op: d.op,
      type: d.type,
      shader: d.shader,
      pipeline: this.pipelines[d.shader],
      group: this.device.createBindGroup({
        layout: this.pipelines[d.shader].getBindGroupLayout(0),
        entries: d.bindings.map(([b, offset, size], k) => ({ binding: k, resource: { buffer: this.buffers[b], offset, size } })),
      }),
      workgroups: d.workgroups,
    }));
  }

  // Runs the descriptor's prepare dispatches once (after the weights are written): they fill the
  // buffers of weights in the larger forms some kernels read (Winograd's transformed weights).
  // Resolves when the GPU is done.
  prepare(dispatches) {
    if (!dispatches.length) return Promise.resolve();
    this.device.queue.submit([this.encode(this.stepsOf(dispatches), false)]);
    return this.device.queue.onSubmittedWorkDone();
  }

  check() {
    if (this.disposed) throw new Error('this runner was disposed');
    if (this.lost.info) throw new Error(lostMessage(this.lost.info));
  }

  // Encodes `steps` (all by default) into one compute pass, after copying the inputs given as GPU
  // buffers in (`copyInputs`), optionally copying the outputs out (into their GPU buffers, and with
  // `download` on into the buffers read back).
  encode(steps = this.steps, copyOutputs = true, download = true, copyInputs = true) {
    const encoder = this.device.createCommandEncoder();
    for (const p of this.inputPorts) {
      if (p.source && copyInputs) encoder.copyBufferToBuffer(p.source, 0, this.buffers[p.variable.buffer], p.variable.offset, words(p.variable.bytes));
    }
    const pass = encoder.beginComputePass();
    for (const s of steps) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.group);
      pass.dispatchWorkgroups(s.workgroups[0], s.workgroups[1], s.workgroups[2]);
    }
    pass.end();
    if (copyOutputs) {
      this.outputPorts.forEach((p, k) => {
        encoder.copyBufferToBuffer(this.buffers[p.variable.buffer], p.variable.offset, p.gpuBuffer, 0, words(p.variable.bytes));
        if (download) encoder.copyBufferToBuffer(p.gpuBuffer, 0, this.staging[k], 0, words(p.variable.bytes));
      });
    }
    return encoder.finish();
  }

  // Submits a run in command buffers of 4, 8, 16, ... dispatches: the GPU starts on the first
  // while the rest are still being encoded, which in Dawn takes about as long per dispatch as a
  // small layer runs. On an H100 (bench/gpu, Node + Dawn): MobileNetV2 0.76-0.81 -> 0.64-0.69 ms,
  // SqueezeNet 0.69-0.70 -> 0.58-0.61, ResNet50 1.89 -> 1.65-1.70 (first buffers of 2, 8 or 16
  // did no better than 4).
  submit(download) {
    let begin = 0, size = 4;
    do {
      const end = Math.min(begin + size, this.steps.length);
      const last = end === this.steps.length;
      this.device.queue.submit([this.encode(this.steps.slice(begin, end), last, download, begin === 0)]);
      begin = end;
      size *= 2;
    } while (begin < this.steps.length);
  }

  writeInputs() {
    for (const p of this.inputPorts) {
      if (!p.source) this.device.queue.writeBuffer(this.buffers[p.variable.buffer], p.variable.offset, p.half ? toHalves(p.host.values) : toF32(p.host.values));
    }
  }

  // `download: false` leaves the outputs in their gpuBuffers only (resolving once the GPU is done).
  async runOnce({ download = true } = {}) {
    this.check();
    const { device } = this;
    try {
      this.writeInputs();
      this.submit(download);
      for (const p of this.outputPorts) p.downloaded = download;
      if (!download) await device.queue.onSubmittedWorkDone();
      else await Promise.all(this.staging.map(async (buffer, k) => {
        await buffer.mapAsync(GPUMapMode.READ);
        const port = this.outputPorts[k];
        const mapped = buffer.getMappedRange().slice(0);
        const values = port.half ? fromHalves(new Uint16Array(mapped), port.size) : new Float32Array(mapped, 0, port.size);
        buffer.unmap();
        const host = port.host;
        if (host.values instanceof BigInt64Array) host.values.set(Array.from(values, (v) => BigInt(Math.round(v))));
        else host.values.set(values);
      }));
    } catch (e) {
      // dispose() during the run destroys the buffers it maps, and the device if its own.
      if (this.disposed) throw new Error('this runner was disposed during the run');
      // A device lost mid-run fails the mapping; say so rather than the mapping's own words.
      await Promise.race([this.lost.promise, new Promise((r) => setTimeout(r, 100))]);
      if (this.lost.info) throw new Error(lostMessage(this.lost.info));
      throw e;
    }
    if (this.disposed) throw new Error('this runner was disposed during the run');
    if (this.lost.info) throw new Error(lostMessage(this.lost.info));
  }

  // Development aid: the time of each dispatch, slowest first; on the GPU's own clock where the
  // device has 'timestamp-query' (see webgpu_profile.mjs).
  async profile(options) {
    return this.serial(async () => {
      this.check();
      return profileDispatches(this, options);
    });
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    // Weights shared with the model's other shapes are given back, not destroyed.
    for (const b of [...(this.owned ?? this.buffers), ...this.staging]) b.destroy();
    this.releaseWeights?.();
    for (const p of this.outputPorts) p.gpuBuffer.destroy();
    for (const p of this.inputPorts) p.image?.destroy();
    this.releasePipelines?.();
    if (this.ownDevice) this.device.destroy();
  }
}

// The page's device when it gives one (then it stays the page's: never destroyed here), else the
// adapter's with the limits worth raising, 'timestamp-query' where there is one (for profile();
// it costs nothing until used), 'subgroups' (for the kernels that have a subgroups variant) and
// 'shader-f16' (for the f16 programs of models exported in half precision, webgpu_storage.mjs).
async function openDevice(shared) {
  if (shared) return { adapter: { info: shared.adapterInfo ?? {} }, device: shared };
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter');
  const requiredLimits = {};
  for (const name of LIMITS) if (adapter.limits[name] !== undefined) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures = ['timestamp-query', 'subgroups', 'shader-f16'].filter((f) => adapter.features.has(f));
  return { adapter, device: await adapter.requestDevice({ requiredLimits, requiredFeatures }) };
}

// Loading overlaps three things: the weights download (and decode), which needs no device; the
// device and its pipelines, which the driver compiles in the background; and, once both the
// weights and the buffers are there, the upload. runner.loadTimes says how long each took
// (milliseconds; download is counted from the start of load, so it includes the descriptor).
//
// `generated` ({descriptor, weights}, with `opened`: {adapter, device, weights}): a descriptor made
// in the page for one shape of a model with free dimensions (loadSymbolic), on a device shared by
// the model's shapes, its weights in buffers shared with them (`opened.weights`, see
// webgpu_weights.mjs).
export async function loadWebGpuRunner({ dir, manifest, entry, options, files, generated, opened }) {
  const t0 = performance.now();
  const since = (t) => performance.now() - t;
  const times = {};
  const where = generated ? `generated for shapes ${JSON.stringify(generated.shapes)}` : `'${join(dir, entry.descriptor)}'`;
  const descriptor = generated ? generated.descriptor : await files.json(entry.descriptor);
  checkDescriptor(descriptor, `descriptor ${where}`);
  if (!generated && Array.isArray(descriptor.operators)) return loadSymbolic({ dir, manifest, entry, options, files, descriptor, where });
  validateWebGpuDescriptor(descriptor, `descriptor ${where}`);
  if (descriptor.f16 !== undefined) validateWebGpuDescriptor(programOf(descriptor, true), `descriptor ${where}, its f16 program`);
  const shared = options.webgpuDevice ?? opened?.device;

  let gpu = null;  // { device, lost, ... } once the device is open
  const setup = (async () => {
    const t = performance.now();
    const { adapter, device } = opened ?? await openDevice(shared);
    times.device = since(t);
    const lost = {};
    lost.promise = device.lost.then((info) => { lost.info = info; });
    gpu = { adapter, device, lost };
    // The f16 program or the f32 one (webgpu_storage.mjs); `program` is used from here on.
    gpu.half = halfStorage(descriptor, device, options);
    const program = programOf(descriptor, gpu.half);
    gpu.program = program;
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const sharing = !!opened?.weights;  // then only the arena is this runner's own
    // Each dispatch as this adapter runs it, and only the shaders those need.
    gpu.cpu = cpuKernels(adapter, options);
    // A dispatch marked for one kernel set runs only with it (Winograd convolutions on GPUs, their
    // implicit GEMM on the CPU).
    const mine = (d) => d.kernels === undefined || d.kernels === (gpu.cpu ? 'cpu' : 'gpu');
    gpu.subgroups = subgroupKernels(device, gpu.cpu, options);
    gpu.packedDot = packedDotKernels(options);
    const chosen = (d) => (gpu.cpu && d.cpu ? { ...d, ...d.cpu } : gpu.subgroups && d.subgroups ? { ...d, ...d.subgroups } : d);
    const variant = (d) => chosen(gpu.packedDot && d.packed_dot ? { ...d, ...d.packed_dot } : d);
    gpu.dispatches = program.dispatches.filter(mine).map(variant);
    gpu.prepare = (program.prepare ?? []).filter(mine);
    const started = performance.now();
    gpu.pipelines = createPipelines(device, program, [...gpu.dispatches, ...gpu.prepare]);
    gpu.pipelines.done.then(() => { times.pipelines = since(started); }, () => {});
    const used = bound([...gpu.dispatches, ...gpu.prepare]);
    gpu.buffers = program.buffers.filter((b, i) => !sharing || i === 0).map((b, i) => device.createBuffer({
      size: bufferBytes(b, used.has(i)),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }));
    return gpu;
  })();
  const useWeights = generated ? (use) => use(generated.weights) : (use) => withWeights({ files, descriptor, where, options }, use);
  const weights = useWeights(async (bytes) => {
    times.download = since(t0);
    const { device, buffers, program } = await setup;
    const started = performance.now();
    if (opened?.weights) {
      gpu.shared = shareWeights(device, program, gpu.dispatches, bytes, buffers[0], opened.weights, gpu.prepare);
    } else program.buffers.forEach((b, i) => {
      if (isWeights(b)) device.queue.writeBuffer(buffers[i], 0, weightsContents(b, bytes));
    });
    // writeBuffer has copied the bytes; the GPU has them once the queue is done with them.
    gpu.uploaded = device.queue.onSubmittedWorkDone().then(() => { times.upload = since(started); });
  });

  try {
    const [opened, loaded] = await Promise.allSettled([setup, weights]);
    if (opened.status === 'rejected') throw opened.reason;
    if (loaded.status === 'rejected') throw loaded.reason;
    const { adapter, device, lost } = gpu;
    const pipelines = await gpu.pipelines.done;
    files?.throwIfAborted();
    const { shared: sharedWeights } = gpu;
    const { program } = gpu;
    const runner = sharedWeights
      ? new WebGpuRunner(device, { ...program, variables: sharedWeights.variables }, sharedWeights.dispatches, sharedWeights.buffers, pipelines, lost, !shared)
      : new WebGpuRunner(device, program, gpu.dispatches, gpu.buffers, pipelines, lost, !shared);
    runner.owned = [...gpu.buffers, ...(sharedWeights?.made ?? [])];
    runner.uploadedWeightBytes = sharedWeights?.uploaded;  // this shape's own, with sharing
    runner.releaseWeights = sharedWeights?.release;
    runner.releasePipelines = gpu.pipelines.release;
    runner.kernels = gpu.cpu ? 'cpu' : 'gpu';
    runner.subgroups = gpu.subgroups;
    runner.packedDot = gpu.packedDot;
    runner.storage = gpu.half ? 'f16' : 'f32';
    runner.onCpu = cpuKernels(adapter);  // the adapter's own nature, whatever kernels were asked for
    runner.pipelineCount = gpu.pipelines.count;
    const started = performance.now();
    const prepared = runner.prepare(sharedWeights ? sharedWeights.prepare : gpu.prepare)
      .then(() => { times.prepare = since(started); });
    const memory = await device.popErrorScope();
    const error = await device.popErrorScope();
    if (memory) throw new Error(`WebGPU ran out of memory for the program: ${memory.message}`);
    if (error) throw new Error(`WebGPU rejected the program: ${error.message}`);
    // A device lost before the weights are on the GPU fails here.
    await Promise.race([Promise.all([gpu.uploaded, prepared]), lost.promise]);
    if (lost.info) throw new Error(`the WebGPU device was lost while loading (${lost.info.reason}: ${lost.info.message})`);
    times.total = since(t0);
    runner.loadTimes = times;
    return runner;
  } catch (e) {
    if (!gpu) throw e;
    gpu.pipelines?.release();
    gpu.shared?.release();
    for (const b of gpu.shared?.made ?? []) b.destroy();
    const { device, lost } = gpu;
    if (!lost.info && !shared) device.destroy();
    if (lost.info && !/device was lost/.test(e.message)) {
      throw new Error(`the WebGPU device was lost while loading (${lost.info.reason}: ${lost.info.message}): ${e.message}`);
    }
    throw e;
  }
}

// A model with free dimensions: its symbolic graph, specialized in the page at each new input
// signature (runtime/js/symbolic_runner.mjs). One device serves every shape, and each shader text
// is compiled into a pipeline once for all of them (webgpu_pipelines.mjs). The device is opened
// and the sample shape's descriptor generated now (a backend that cannot run here fails at load);
// its pipelines are made at the first run at that shape. The shapes' weights are shared too: a
// new shape uploads only the weights that no kept shape holds (webgpu_weights.mjs), and each is
// freed when no kept shape uses it any more.
async function loadSymbolic({ dir, manifest, entry, options, files, descriptor, where }) {
  let generator = null;
  await withWeights({ files, descriptor, where, options }, async (bytes) => { generator = await Generator.create(descriptor, bytes); });
  const shared = options.webgpuDevice;
  let opened = null;
  try {
    opened = await openDevice(shared);
    const gpuWeights = new RefCache((w) => w.buffer.destroy());  // content key -> {buffer, bytes}
    opened.weights = gpuWeights;
    // A model exported in half precision (float16 ports in its manifest) gets its f16 program
    // generated too where it can run (webgpu_storage.mjs).
    const exported = [...(manifest?.inputs ?? []), ...(manifest?.outputs ?? [])].some((p) => p?.dtype === 'float16');
    const half = exported && halfStorage({ f16: true }, opened.device, options);
    const symbolic = new SymbolicRunner({
      backendName: 'webgpu', descriptor, generator, generateOptions: half ? { half: true } : {}, sampleShapes: sampleShapes(descriptor),
      makeRunner: (d, weights) => loadWebGpuRunner({ dir, entry, options, files, generated: { descriptor: d, weights, shapes: d.inputs.map((e) => d.variables[e.variable].shape) }, opened }),
      release: () => {
        gpuWeights.clear();
        if (!shared) opened.device.destroy();
      },
    });
    symbolic.prepare(symbolic.inputs.map((t) => t.shape));
    symbolic.kernels = cpuKernels(opened.adapter, options) ? 'cpu' : 'gpu';
    symbolic.subgroups = subgroupKernels(opened.device, symbolic.kernels === 'cpu', options);
    symbolic.packedDot = packedDotKernels(options);
    symbolic.storage = half ? 'f16' : 'f32';
    symbolic.onCpu = cpuKernels(opened.adapter);
    symbolic.device = opened.device;
    // Development aids: what the shapes kept share.
    symbolic.keptShaders = () => keptPipelines(opened.device);
    symbolic.gpuWeightBytes = () => gpuWeights.keptBytes();
    return symbolic;
  } catch (e) {
    generator.dispose();
    if (opened && !shared) opened.device.destroy();
    throw e;
  }
}
