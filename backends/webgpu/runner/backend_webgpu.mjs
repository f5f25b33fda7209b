// The WebGPU backend, runtime side: compiles the descriptor's WGSL shaders into pipelines once at
// load (asynchronously, while the weights download, so the first run does not stall), uploads
// the weights once, and encodes every run as one command buffer, reading back only the outputs.
// A device lost or a pipeline failing during load makes load() throw (WebDNN.load then tries the
// next backend); a device lost later makes run() reject with a message saying so.
// GPU in, GPU out: an input may be set from a GPUBuffer or an image (webgpu_image_input.mjs), each
// output is also kept in a GPUBuffer of its own (outputs[i].gpuBuffer), and run({download:
// false}) leaves the outputs there; options.webgpuDevice runs on the page's device.
import { checkDescriptor, withWeights } from '../../../runtime/js/backend_wasm.mjs';
import { join } from '../../../runtime/js/fetch.mjs';
import { arrayType, TensorView } from '../../../runtime/js/tensor.mjs';
import { ImageInput } from './webgpu_image_input.mjs';

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
    this.steps = dispatches.map((d) => ({
      op: d.op,
      shader: d.shader,
      pipeline: pipelines[d.shader],
      group: device.createBindGroup({
        layout: pipelines[d.shader].getBindGroupLayout(0),
        entries: d.bindings.map(([b, offset, size], k) => ({ binding: k, resource: { buffer: buffers[b], offset, size } })),
      }),
      workgroups: d.workgroups,
    }));
    // A port's values come from `host` unless `source` (a GPUBuffer) is set; an output's are
    // in `gpuBuffer` after each run, and in `host` when that run downloaded them.
    const port = (entry, role) => {
      const v = descriptor.variables[entry.variable];
      const size = v.shape.reduce((a, b) => a * b, 1);
      const p = { host: { values: new (arrayType(v.dtype))(size) }, variable: v, source: null, downloaded: true };
      const gpu = role === 'input' ? {
        writeImage: (source, layout) => {
          this.check();
          p.image ??= new ImageInput(device, v.bytes, { videoThroughCanvas: this.onCpu });
          p.image.write(source, layout);
          p.source = p.image.buffer;
        },
        writeBuffer: (buffer) => { p.source = buffer; },
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
      p.gpuBuffer = device.createBuffer({ size: Math.max(4, p.variable.bytes),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      p.view.gpuBuffer = p.gpuBuffer;
    }
    this.inputs = this.inputPorts.map((p) => p.view);
    this.outputs = this.outputPorts.map((p) => p.view);
    this.staging = this.outputPorts.map((p) => device.createBuffer({
      size: Math.max(4, p.variable.bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  }

  check() {
    if (this.disposed) throw new Error('this runner was disposed');
    if (this.lost.info) throw new Error(lostMessage(this.lost.info));
  }

  // Encodes `steps` (all by default) into one compute pass, optionally copying the outputs out
  // (into their GPU buffers, and with `download` on into the buffers read back).
  encode(steps = this.steps, copyOutputs = true, download = true) {
    const encoder = this.device.createCommandEncoder();
    for (const p of this.inputPorts) {
      if (p.source) encoder.copyBufferToBuffer(p.source, 0, this.buffers[p.variable.buffer], p.variable.offset, p.variable.bytes);
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
        encoder.copyBufferToBuffer(this.buffers[p.variable.buffer], p.variable.offset, p.gpuBuffer, 0, p.variable.bytes);
        if (download) encoder.copyBufferToBuffer(p.gpuBuffer, 0, this.staging[k], 0, p.variable.bytes);
      });
    }
    return encoder.finish();
  }

  writeInputs() {
    for (const p of this.inputPorts) {
      if (!p.source) this.device.queue.writeBuffer(this.buffers[p.variable.buffer], p.variable.offset, toF32(p.host.values));
    }
  }

  // `download: false` leaves the outputs in their gpuBuffers only (resolving once the GPU is done).
  async run({ download = true } = {}) {
    this.check();
    const { device } = this;
    try {
      this.writeInputs();
      device.queue.submit([this.encode(this.steps, true, download)]);
      for (const p of this.outputPorts) p.downloaded = download;
      if (!download) await device.queue.onSubmittedWorkDone();
      else await Promise.all(this.staging.map(async (buffer, k) => {
        await buffer.mapAsync(GPUMapMode.READ);
        const values = new Float32Array(buffer.getMappedRange().slice(0));
        buffer.unmap();
        const host = this.outputPorts[k].host;
        if (host.values instanceof BigInt64Array) host.values.set(Array.from(values, (v) => BigInt(Math.round(v))));
        else host.values.set(values);
      }));
    } catch (e) {
      // A device lost mid-run fails the mapping; say so rather than the mapping's own words.
      await Promise.race([this.lost.promise, new Promise((r) => setTimeout(r, 100))]);
      if (this.lost.info) throw new Error(lostMessage(this.lost.info));
      throw e;
    }
    if (this.lost.info) throw new Error(lostMessage(this.lost.info));
  }

  // Development aid: each dispatch run `repeat` times on its own, timed to the queue's completion.
  // Returns [{op, shader, workgroups, ms}] (ms per dispatch), slowest first.
  async profile({ repeat = 3 } = {}) {
    this.check();
    this.writeInputs();
    const results = [];
    for (const s of this.steps) {
      this.device.queue.submit([this.encode([s], false)]);
      await this.device.queue.onSubmittedWorkDone();
      const start = performance.now();
      this.device.queue.submit([this.encode(Array(repeat).fill(s), false)]);
      await this.device.queue.onSubmittedWorkDone();
      results.push({ op: s.op, shader: s.shader, workgroups: s.workgroups, ms: (performance.now() - start) / repeat });
    }
    return results.sort((a, b) => b.ms - a.ms);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [...this.buffers, ...this.staging]) b.destroy();
    for (const p of this.outputPorts) p.gpuBuffer.destroy();
    for (const p of this.inputPorts) p.image?.destroy();
    if (this.ownDevice) this.device.destroy();
  }
}

export async function loadWebGpuRunner({ dir, entry, options, files }) {
  const t0 = performance.now();
  const timings = {};  // load phases in ms since the start, for profiling
  const where = `'${join(dir, entry.descriptor)}'`;
  const descriptor = await files.json(entry.descriptor);
  checkDescriptor(descriptor, `descriptor ${where}`);
  // The page's device when it gives one (then it stays the page's: never destroyed here).
  const shared = options.webgpuDevice;
  let adapter = { info: shared?.adapterInfo ?? {} };
  if (!shared) {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('no WebGPU adapter');
  }
  const requiredLimits = {};
  if (!shared) for (const name of LIMITS) if (adapter.limits[name] !== undefined) requiredLimits[name] = adapter.limits[name];
  const device = shared ?? await adapter.requestDevice({ requiredLimits });
  const release = () => { if (!shared) device.destroy(); };
  const lost = {};
  lost.promise = device.lost.then((info) => { lost.info = info; });
  const fail = (message) => {
    release();
    throw new Error(message);
  };
  try {
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const buffers = descriptor.buffers.map((b) => device.createBuffer({
      size: Math.ceil(b.bytes / 4) * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }));
    // Each dispatch as this adapter runs it, and only the shaders those need.
    const cpu = cpuKernels(adapter, options);
    const dispatches = descriptor.dispatches.map((d) => (cpu && d.cpu ? { ...d, ...d.cpu } : d));
    const used = [...new Set(dispatches.map((d) => d.shader))];
    // Pipelines compile while the weights download and decode.
    const modules = used.map((k) => device.createShaderModule({ code: descriptor.shaders[k].code }));
    const pending = modules.map((module) => device.createComputePipelineAsync({
      layout: 'auto', compute: { module, entryPoint: 'main' } }));
    const compiled = Promise.allSettled(pending);
    compiled.then(() => { timings.pipelines = performance.now() - t0; });
    await withWeights({ files, descriptor, where, options }, (bytes) => {
      timings.weights = performance.now() - t0;
      descriptor.buffers.forEach((b, i) => {
        if (b.weights_offset === undefined) return;
        device.queue.writeBuffer(buffers[i], 0, bytes, b.weights_offset, Math.ceil(b.bytes / 4) * 4);
      });
    });
    const settled = await compiled;
    const failed = settled.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      // Say which shader and why, from the compiler's own messages.
      const errors = (await modules[failed].getCompilationInfo()).messages.filter((m) => m.type === 'error');
      const op = dispatches.find((d) => d.shader === used[failed])?.op;
      fail(`WebGPU shader ${used[failed]} (for '${op}') ` + (errors.length
        ? `does not compile: ${errors.map((m) => `line ${m.lineNum}: ${m.message}`).join('; ')}`
        : `failed to make a pipeline: ${String(settled[failed].reason?.message ?? settled[failed].reason).trim()}`));
    }
    const pipelines = [];
    used.forEach((k, i) => { pipelines[k] = settled[i].value; });
    const runner = new WebGpuRunner(device, descriptor, dispatches, buffers, pipelines, lost, !shared);
    runner.kernels = cpu ? 'cpu' : 'gpu';
    runner.onCpu = cpuKernels(adapter);  // the adapter's own nature, whatever kernels were asked for
    const memory = await device.popErrorScope();
    const error = await device.popErrorScope();
    if (memory) fail(`WebGPU ran out of memory for the program: ${memory.message}`);
    if (error) fail(`WebGPU rejected the program: ${error.message}`);
    // The weights are on the GPU once the queue is done with them; a device lost by then fails here.
    await Promise.race([device.queue.onSubmittedWorkDone(), lost.promise]);
    if (lost.info) fail(`the WebGPU device was lost while loading (${lost.info.reason}: ${lost.info.message})`);
    timings.ready = performance.now() - t0;
    runner.timings = timings;
    return runner;
  } catch (e) {
    if (!lost.info) release();
    if (lost.info && !/device was lost/.test(e.message)) {
      throw new Error(`the WebGPU device was lost while loading (${lost.info.reason}: ${lost.info.message}): ${e.message}`);
    }
    throw e;
  }
}
