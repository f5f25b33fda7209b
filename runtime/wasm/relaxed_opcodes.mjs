// node relaxed_opcodes.mjs WASM WASM_DIS: gives the relaxed runtime build's fused multiply-adds
// the opcode that engines run. clang 14 writes them as the relaxed-SIMD proposal's early
// f32x4.fma (0xfd 0xaf 0x01), an opcode the standard reassigned; f32x4.relaxed_madd (0xfd 0x85
// 0x02) has the same length, so the bytes are swapped in place. The three bytes may also occur
// inside other instructions' immediates, so the rewrite is kept only where the code section
// holds exactly as many of them as binaryen's disassembler (WASM_DIS) finds instructions, and
// the result must validate with relaxed SIMD on. Any doubt fails the build and removes the
// linked files, so that the next build links again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import v8 from 'node:v8';

const [file, wasmDis] = process.argv.slice(2);
const fail = (why) => {
  console.error(`relaxed_opcodes.mjs: ${file}: ${why}`);
  for (const f of [file, file?.replace(/\.wasm$/, '.mjs')]) if (f) fs.rmSync(f, { force: true });
  process.exit(1);
};
if (!file || !wasmDis) fail('usage: node relaxed_opcodes.mjs WASM WASM_DIS');
const bytes = fs.readFileSync(file);

function leb(at) {
  let value = 0, shift = 0, b;
  do {
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, at];
}

// The code section's bounds (id 10), from the section headers.
let code;
for (let at = 8; at < bytes.length;) {
  const id = bytes[at];
  const [size, start] = leb(at + 1);
  if (id === 10) code = [start, start + size];
  at = start + size;
}
if (!code) fail('no code section');

const OLD = [0xfd, 0xaf, 0x01], NEW = [0xfd, 0x85, 0x02];
const sites = [];
for (let i = code[0]; i + 2 < code[1]; i++) {
  if (bytes[i] === OLD[0] && bytes[i + 1] === OLD[1] && bytes[i + 2] === OLD[2]) sites.push(i);
}
const text = execFileSync(wasmDis, [file], { encoding: 'utf8', maxBuffer: 1 << 30 });
const fmas = (text.match(/\bf32x4\.relaxed_fma\b/g) ?? []).length;
const others = new Set(text.match(/\b[a-z0-9]+\.relaxed_[a-z0-9_]+\b/g) ?? []);
others.delete('f32x4.relaxed_fma');
if (others.size) fail(`relaxed instructions other than f32x4.fma (${[...others].join(', ')}): no rewrite is known for them`);
if (fmas === 0) fail('no f32x4.fma to rewrite: is the build compiled with -mrelaxed-simd and WEBDNN_RELAXED_SIMD?');
if (sites.length !== fmas) fail(`${sites.length} byte sequences of f32x4.fma but ${fmas} instructions: cannot tell them apart`);
for (const i of sites) bytes.set(NEW, i);

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');  // Node 20 has it behind a flag
if (!WebAssembly.validate(bytes)) fail('the rewritten module does not validate');
fs.writeFileSync(file, bytes);
console.log(`relaxed_opcodes.mjs: ${file}: ${fmas} fused multiply-adds`);
