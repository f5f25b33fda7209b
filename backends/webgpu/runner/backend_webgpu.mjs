// The WebGPU backend, runtime side: compiles the descriptor's WGSL shaders into pipelines once at
// load (asynchronously, so the first run does not stall), uploads the weights once, and encodes
// every run as one command buffer, reading back only the outputs.
import { checkDescriptor, withWeights } from './backend_wasm.mjs';
import { fetchJson, join } from './fetch.mjs';
import { arrayType, TensorView } from './tensor.mjs';

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

class WebGpuRunner {
  constructor(device, descriptor, buffers, pipelines) {
    this.backendName = 'webgpu';
    this.device = device;
    this.descriptor = descriptor;
    this.buffers = buffers;
    this.lost = null;
    device.lost.then((info) => { this.lost = info; });
    this.steps = descriptor.dispatches.map((d) => ({
      pipeline: pipelines[d.shader],
      group: device.createBindGroup({
        layout: pipelines[d.shader].getBindGroupLayout(0),
        entries: d.buffers.map((b, k) => ({ binding: k, resource: { buffer: buffers[b] } })),
      }),
      workgroups: d.workgroups,
    }));
    const port = (entry, role) => {
      const v = descriptor.variables[entry.variable];
      const size = v.shape.reduce((a, b) => a * b, 1);
      const host = { values: new (arrayType(v.dtype))(size) };
      const view = new TensorView({ role, name: entry.name, dtype: v.dtype, shape: v.shape,
        view: () => host.values, write: (values) => host.values.set(values) });
      return { view, host, variable: v };
    };
    this.inputPorts = descriptor.inputs.map((e) => port(e, 'input'));
    this.outputPorts = descriptor.outputs.map((e) => port(e, 'output'));
    this.inputs = this.inputPorts.map((p) => p.view);
    this.outputs = this.outputPorts.map((p) => p.view);
    this.staging = this.outputPorts.map((p) => device.createBuffer({
      size: Math.max(4, p.variable.bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  }

  async run() {
    if (this.lost) throw new Error(`the WebGPU device was lost (${this.lost.reason}: ${this.lost.message}); load the model again`);
    const { device } = this;
    for (const p of this.inputPorts) {
      device.queue.writeBuffer(this.buffers[p.variable.buffer], p.variable.offset, toF32(p.host.values));
    }
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const s of this.steps) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.group);
      pass.dispatchWorkgroups(s.workgroups[0], s.workgroups[1], s.workgroups[2]);
    }
    pass.end();
    this.outputPorts.forEach((p, k) => {
      encoder.copyBufferToBuffer(this.buffers[p.variable.buffer], p.variable.offset, this.staging[k], 0, p.variable.bytes);
    });
    device.queue.submit([encoder.finish()]);
    await Promise.all(this.staging.map(async (buffer, k) => {
      await buffer.mapAsync(GPUMapMode.READ);
      const values = new Float32Array(buffer.getMappedRange().slice(0));
      buffer.unmap();
      const host = this.outputPorts[k].host;
      if (host.values instanceof BigInt64Array) host.values.set(Array.from(values, (v) => BigInt(Math.round(v))));
      else host.values.set(values);
    }));
    if (this.lost) throw new Error(`the WebGPU device was lost during the run (${this.lost.message})`);
  }

  dispose() {
    for (const b of [...this.buffers, ...this.staging]) b.destroy();
    this.device.destroy();
  }
}

export async function loadWebGpuRunner({ dir, entry, options }) {
  const where = `'${join(dir, entry.descriptor)}'`;
  const descriptor = await fetchJson(join(dir, entry.descriptor), 'descriptor');
  checkDescriptor(descriptor, `descriptor ${where}`);
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const requiredLimits = {};
  for (const name of LIMITS) if (adapter.limits[name] !== undefined) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  device.pushErrorScope('validation');
  const buffers = descriptor.buffers.map((b) => device.createBuffer({
    size: Math.ceil(b.bytes / 4) * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }));
  // Pipelines compile while the weights download.
  const modules = descriptor.shaders.map((s) => device.createShaderModule({ code: s.code }));
  const pipelines = Promise.all(modules.map((module) => device.createComputePipelineAsync({
    layout: 'auto', compute: { module, entryPoint: 'main' } })));
  await withWeights({ dir, descriptor, where, options }, (bytes) => {
    descriptor.buffers.forEach((b, i) => {
      if (b.weights_offset === undefined) return;
      device.queue.writeBuffer(buffers[i], 0, bytes, b.weights_offset, Math.ceil(b.bytes / 4) * 4);
    });
  });
  let compiled;
  try {
    compiled = await pipelines;
  } catch (e) {
    // Say which shader and why, from the compiler's own messages.
    for (const [k, module] of modules.entries()) {
      const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      if (errors.length) {
        device.destroy();
        throw new Error(`WebGPU shader ${k} (for '${descriptor.dispatches.find((d) => d.shader === k)?.op}') does not compile: ` +
          errors.map((m) => `line ${m.lineNum}: ${m.message}`).join('; '));
      }
    }
    device.destroy();
    throw new Error(`a WebGPU pipeline failed to compile: ${e.message}`);
  }
  const runner = new WebGpuRunner(device, descriptor, buffers, compiled);
  const error = await device.popErrorScope();
  if (error) {
    runner.dispose();
    throw new Error(`WebGPU rejected the program: ${error.message}`);
  }
  return runner;
}
