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
  const x = u32[0];
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

const CODECS = {
  float16: [halfToFloat, floatToHalf],
  bfloat16: [bfloat16ToFloat, floatToBfloat16],
};

// Values of declared type `type` as float32: a Float16Array (where the platform has it) or any
// array of numbers by value, a Uint16Array as the type's bits.
// Values given otherwise are rounded to the declared type, which is all the model may receive.
export function fromDeclared(array, type) {
  if (type === 'float64') return Float32Array.from(array);
  const [decode, encode] = CODECS[type];
  if (array instanceof Uint16Array) return Float32Array.from(array, decode);
  return Float32Array.from(array, (v) => decode(encode(Number(v))));
}

// float32 values as the declared type: Float16Array where the platform has it, else Uint16Array
// bits (as onnxruntime-web gives float16); bfloat16 as Uint16Array bits; float64 as Float64Array.
export function toDeclared(values, type) {
  if (type === 'float64') return Float64Array.from(values);
  if (type === 'float16' && typeof Float16Array === 'function') return Float16Array.from(values);  // eslint-disable-line no-undef
  const encode = CODECS[type][1];
  return Uint16Array.from(values, encode);
}
