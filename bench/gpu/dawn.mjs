// WebGPU in Node.js through Dawn (the npm package `webgpu`), set up the way a browser page has it:
// navigator.gpu and the GPU* globals. Both engines of the benchmark then run unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Returns { gpu, release } or { skip: 'why there is no GPU to run on' }; release() lets Node exit.
//   dir      the installed package (holding index.js and dist/<platform>-<arch>/dawn.node)
//   options  Dawn's create() options, e.g. 'backend=vulkan', 'disable-dawn-features=...'
export async function openDawn(dir, options = []) {
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    return { skip: `the npm package webgpu is not installed in ${dir} (npm ci --prefix bench/gpu --ignore-scripts)` };
  }
  let dawn;
  try {
    dawn = await import(pathToFileURL(path.join(dir, 'index.js')).href);
  } catch (e) {
    return { skip: `Dawn does not load here (${e.message.split('\n')[0]})` };
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create(options);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  allowSharedUploads();
  // Dawn's pending promises do not hold Node's event loop open (a page's loop never ends), so an
  // await on the GPU with nothing else pending would let Node start to exit under it.
  const timer = setInterval(() => {}, 1 << 30);
  return { gpu, release: () => clearInterval(timer) };
}

// Describes the adapter both engines will get (both ask for 'high-performance'), or says why it
// does not count as a GPU: none at all, or one that runs shaders on the CPU (SwiftShader,
// lavapipe), which the browser benchmark already covers.
export async function adapterInfo(gpu) {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { skip: 'no WebGPU adapter (no GPU, or no Vulkan driver for it)' };
  const i = adapter.info ?? {};
  const info = {
    vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
    subgroupMinSize: i.subgroupMinSize, subgroupMaxSize: i.subgroupMaxSize,
    fallback: i.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    features: [...adapter.features].sort(),
    limits: Object.fromEntries(['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize',
      'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage'].map((k) => [k, adapter.limits[k]])),
  };
  const cpu = info.fallback || /swiftshader|llvmpipe|lavapipe/i.test(`${i.architecture} ${i.description} ${i.device}`);
  return cpu ? { info, skip: `the adapter runs on the CPU (${i.description || i.architecture})` } : { info };
}

// Dawn's queue.writeBuffer takes no data in a SharedArrayBuffer, which browsers accept.
// onnxruntime-web uploads its inputs and weights straight from its wasm memory, which is shared
// (its builds are the threaded ones): such data is copied into a plain buffer first. WebDNN
// never uploads from shared memory, so this touches onnxruntime-web's uploads only.
function allowSharedUploads() {
  const proto = globalThis.GPUQueue.prototype;
  const writeBuffer = proto.writeBuffer;
  const isShared = (b) => typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
  proto.writeBuffer = function (buffer, offset, data, dataOffset = 0, size) {
    if (isShared(data)) {
      return writeBuffer.call(this, buffer, offset, new Uint8Array(data, dataOffset, size ?? data.byteLength - dataOffset).slice());
    }
    if (ArrayBuffer.isView(data) && isShared(data.buffer)) {
      const unit = data.BYTES_PER_ELEMENT ?? 1;
      const count = size ?? data.byteLength / unit - dataOffset;
      return writeBuffer.call(this, buffer, offset, new Uint8Array(data.buffer, data.byteOffset + dataOffset * unit, count * unit).slice());
    }
    return writeBuffer.apply(this, arguments);  // as called: Dawn matches overloads on the count
  };
}
