// float16 and bfloat16 <-> float32 for the inputs and outputs of models exported in half
// precision, which WebDNN computes in float32 (include/webdnn/half.h does the same natively).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// Rounded to nearest, ties to even; beyond 65504 infinite.
export function floatToHalf(v) {
  f32[0] = v;
  return halfOfBits(u32[0]);
}

// The same from float32 bits `x`, so that whole arrays convert through a Uint32Array view.
function halfOfBits(x) {
  const sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  let h, rest, half;
  if (e <= 0) {  // a subnormal half: the implicit bit joins the shifted mantissa
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    h = mant >>> shift;
    rest = mant & ((1 << shift) - 1);
    half = 1 << (shift - 1);
  } else {
    h = (e << 10) | (mant >>> 13);
    rest = mant & 0x1fff;
    half = 0x1000;
  }
  if (rest > half || (rest === half && (h & 1))) h++;
  return sign | h;
}

export function bfloat16ToFloat(b) {
  u32[0] = b << 16;
  return f32[0];
}

export function floatToBfloat16(v) {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

// Whole arrays: a model's float16 image input is 150528 values, and Float32Array.from(bits,
// halfToFloat) took ~50 ms a run of MobileNetV3 (on an H100 whose inference took 1 ms); a table of
// every half's value and plain loops over typed arrays take well under a millisecond.
let halves = null;
function halfTable() {
  if (!halves) {
    halves = new Float32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) halves[h] = halfToFloat(h);
  }
  return halves;
}

// float32 values (a Float32Array) as the declared type's bits.
function encode(values, type) {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  if (type === 'float16') for (let i = 0; i < out.length; i++) out[i] = halfOfBits(bits[i]);
  else for (let i = 0; i < out.length; i++) out[i] = floatToBfloat16(values[i]);
  return out;
}

// The declared type's bits (a Uint16Array) as float32 values.
function decode(bits, type) {
  const out = new Float32Array(bits.length);
  if (type === 'float16') {
    const table = halfTable();
    for (let i = 0; i < out.length; i++) out[i] = table[bits[i]];
  } else {
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < out.length; i++) words[i] = bits[i] << 16;
  }
  return out;
}

const NativeHalf = typeof Float16Array === 'function' ? Float16Array : null;  // eslint-disable-line no-undef

// float16 bits (a Uint16Array) as float32 values, and back (rounded to nearest even).
export const halvesToFloats = (bits) => decode(bits, 'float16');
export const floatsToHalves = (values) => encode(values instanceof Float32Array ? values : new Float32Array(values), 'float16');

// Values of declared type `type` as float32: a Float16Array (where the platform has it) or any
// array of numbers by value, a Uint16Array as the type's bits.
// Values given otherwise are rounded to the declared type, which is all the model may receive.
export function fromDeclared(array, type) {
  if (type === 'float64') return Float32Array.from(array);
  if (array instanceof Uint16Array) return decode(array, type);
  if (type === 'float16' && NativeHalf && array instanceof NativeHalf) return new Float32Array(array);
  return decode(encode(array instanceof Float32Array ? array : new Float32Array(array), type), type);
}

// float32 values as the declared type: Float16Array where the platform has it, else Uint16Array
// bits (as onnxruntime-web gives float16); bfloat16 as Uint16Array bits; float64 as Float64Array.
export function toDeclared(values, type) {
  if (type === 'float64') return Float64Array.from(values);
  if (type === 'float16' && NativeHalf) return new NativeHalf(values);
  return encode(values instanceof Float32Array ? values : new Float32Array(values), type);
}
