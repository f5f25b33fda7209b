// A key for weight bytes put on the GPU, made from the bytes themselves, never from a name: the
// runners of one model's shapes share a weight buffer (webgpu_weights.mjs) or texture
// (backend_webgl.mjs) only when the bytes and the way they lie on the GPU are the same.
//
// No byte compare after a match: it would need the first shape's bytes kept in the page beside
// the GPU's copy (the generator hands over a fresh blob per shape, dropped once uploaded), twice
// the weights' memory. Two independent 32-bit hashes over every word, with the byte length: two
// different runs of bytes match by accident with odds of about 2^-64; a match made on purpose
// could only come from the model itself, whose author decides its outputs anyway.

function fmix(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// `layout`: a string saying how the bytes lie on the GPU (a buffer's size, a texture's shape).
export function contentKey(bytes, layout = '') {
  const words = bytes.length >> 2;
  const aligned = bytes.byteOffset % 4 === 0;
  const u32 = aligned ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : new Uint32Array(bytes.slice(0, words * 4).buffer);
  let a = 0x9747b28c, b = 0x5bd1e995;
  for (let i = 0; i < words; i++) {
    const w = u32[i];
    // murmur3's round, and a second of other constants and rotations.
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b ^= Math.imul(w, 0x85ebca6b);
    b = Math.imul((b << 17) | (b >>> 15), 0xc2b2ae35);
  }
  for (let i = words * 4; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x27d4eb2f);
  }
  a = fmix(a ^ bytes.length);
  b = fmix(b ^ Math.floor(bytes.length / 0x100000000) ^ 0x2545f491);
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}:${bytes.length}:${layout}`;
}
