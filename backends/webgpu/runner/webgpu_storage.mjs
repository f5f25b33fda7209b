// The element type the WebGPU runner stores values in. A descriptor of a model exported in half
// precision carries a second program, `f16` (docs/descriptor.md): float tensors and weights stored
// as f16, integer and bool ones as f32, every kernel computing in f32. It runs where the device has
// 'shader-f16' (requested where the adapter has it), unless options.webgpuF16 is false; the f32
// program runs elsewhere, as it does for every other model. This module picks the program and
// converts what crosses the boundary: the weights (the file holds each float weight once, as f32,
// converted to halves at upload) and the inputs and outputs (the user's values are float32 either
// way).
import { floatsToHalves, halvesToFloats } from '../../../runtime/js/half.mjs';
import { elementBytes } from './validate.mjs';

export { elementBytes };

// Whether the f16 program runs: the descriptor has one, the device can run it, options allow it.
export function halfStorage(descriptor, device, options = {}) {
  if (options.webgpuF16 !== undefined && typeof options.webgpuF16 !== 'boolean') {
    throw new Error(`webgpuF16 must be true or false, not ${JSON.stringify(options.webgpuF16)}`);
  }
  return !!descriptor.f16 && options.webgpuF16 !== false && device.features.has('shader-f16');
}

// The program that runs: the descriptor itself, or its f16 program in its place (the envelope,
// weights file and max_binding stay the descriptor's).
export function programOf(descriptor, half) {
  if (!half) return descriptor;
  const { f16, prepare, ...rest } = descriptor;
  return { ...rest, ...f16 };
}

// Bytes rounded up to whole 4-byte words, as WebGPU copies and binds them.
export const words = (bytes) => Math.ceil(bytes / 4) * 4;

// The size of the GPU buffer made for buffer `b` of a program: 4 bytes for a scratch or prepared
// buffer that no dispatch binds (`bound`), else its own; an arena holds inputs and outputs, bound
// or not.
export const bufferBytes = (b, bound) => (b.kind && b.kind !== 'arena' && !bound ? 4 : words(b.bytes));

const NativeHalf = typeof Float16Array === 'function' ? Float16Array : null;  // eslint-disable-line no-undef

// The f32 values at byte `offset` of `bytes`, `count` of them (copied when misaligned).
function floatsAt(bytes, offset, count) {
  const at = bytes.byteOffset + offset;
  if (at % 4 === 0) return new Float32Array(bytes.buffer, at, count);
  return new Float32Array(bytes.slice(offset, offset + count * 4).buffer);
}

// Float values as f16 bits, padded to whole words.
export function toHalves(values) {
  const out = new Uint16Array(Math.ceil(values.length / 2) * 2);
  if (NativeHalf) new NativeHalf(out.buffer, 0, values.length).set(values);
  else out.set(floatsToHalves(values));
  return out;
}

// f16 bits (a Uint16Array) as float32 values, `count` of them.
export function fromHalves(halves, count) {
  if (NativeHalf) return new Float32Array(new NativeHalf(halves.buffer, halves.byteOffset, count));
  return halvesToFloats(halves.subarray(0, count));
}

// Whether buffer `b` holds weights: from the file as it is (weights_offset) or as halves.
export const isWeights = (b) => b.weights_offset !== undefined || b.halves !== undefined;

// The bytes buffer `b` of `program` starts with, from the weights blob `bytes`: a range of the blob,
// or the halves of its f32 values.
export function weightsContents(b, bytes) {
  if (b.halves === undefined) return bytes.subarray(b.weights_offset, b.weights_offset + words(b.bytes));
  const out = new Uint16Array(words(b.bytes) / 2);
  for (const [source, count, at] of b.halves) out.set(toHalves(floatsAt(bytes, source, count)).subarray(0, count), at / 2);
  return new Uint8Array(out.buffer);
}
