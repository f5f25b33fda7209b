// Reading and writing .npy files (C order, little-endian), the exchange format of webdnn-run.
import fs from 'node:fs';

// npy descr <-> onnxruntime tensor type and typed array.
const TYPES = {
  '<f4': ['float32', Float32Array],
  '<f2': ['float16', Uint16Array],  // bits, as onnxruntime-node takes and gives float16
  '<f8': ['float64', Float64Array],
  '<i8': ['int64', BigInt64Array],
  '<i4': ['int32', Int32Array],
  '|b1': ['bool', Uint8Array],
  '|u1': ['uint8', Uint8Array],
  '|i1': ['int8', Int8Array],
};

export const ARRAY_OF = Object.fromEntries(Object.values(TYPES));

export function readNpy(path) {
  const b = fs.readFileSync(path);
  if (b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path} is not a .npy file`);
  const v1 = b[6] === 1;
  const headerLen = v1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = v1 ? 10 : 12;
  const header = b.toString('latin1', start, start + headerLen);
  const descr = header.match(/'descr':\s*'([^']*)'/)?.[1];
  if (!TYPES[descr]) throw new Error(`${path}: dtype '${descr}' is not handled`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path} is in Fortran order`);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const [type, Array] = TYPES[descr];
  const count = shape.reduce((a, d) => a * d, 1);
  const bytes = b.subarray(start + headerLen);
  if (bytes.length < count * Array.BYTES_PER_ELEMENT) throw new Error(`${path} is truncated`);
  // Copy into a fresh buffer: the data offset need not be aligned for the typed array.
  const data = new Array(count);
  new Uint8Array(data.buffer).set(bytes.subarray(0, count * Array.BYTES_PER_ELEMENT));
  return { type, shape, data };
}

export function writeNpy(path, { type, shape, data }) {
  const descr = Object.keys(TYPES).find((k) => TYPES[k][0] === type);
  if (!descr) throw new Error(`cannot write type ${type} to .npy`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}
