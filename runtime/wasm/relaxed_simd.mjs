// node relaxed_simd.mjs RELAXED PLAIN WASM_DIS: makes both SIMD runtime builds from one link, the
// one compiled with relaxed SIMD (RELAXED.wasm, RELAXED.mjs[, RELAXED.worker.js]):
// - RELAXED.wasm gets the opcode engines run. clang 14 writes wasm::madd as the relaxed-SIMD
//   proposal's early f32x4.fma (0xfd 0xaf 0x01), an opcode the standard reassigned; the standard
//   f32x4.relaxed_madd (0xfd 0x85 0x02) has the same length and, on the same stack [a, b, c],
//   computes a * b + c, as wasm::madd means (simd.h).
// - PLAIN.wasm, for engines without relaxed SIMD, has each of them as plain SIMD instead:
//   local.set t (c), f32x4.mul (a * b), local.get t, f32x4.add, with t a new v128 local of the
//   function. PLAIN.mjs[, .worker.js] are RELAXED's with the file names changed.
// One link and one wasm-opt instead of two (each ~30 s of CI's CPU). The three bytes may also
// occur inside other instructions' immediates, so the code section must hold exactly as many of
// them as binaryen's disassembler (WASM_DIS) finds instructions, and both results must validate.
// Any doubt fails the build and removes RELAXED's linked files, so that the next build links again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

const [relaxed, plain, wasmDis] = process.argv.slice(2);
const fail = (why) => {
  console.error(`relaxed_simd.mjs: ${relaxed}.wasm: ${why}`);
  for (const ext of ['.wasm', '.mjs', '.worker.js']) if (relaxed) fs.rmSync(relaxed + ext, { force: true });
  process.exit(1);
};
if (!relaxed || !plain || !wasmDis) fail('usage: node relaxed_simd.mjs RELAXED PLAIN WASM_DIS (paths without .wasm)');
const bytes = fs.readFileSync(`${relaxed}.wasm`);

function leb(at) {
  let value = 0, shift = 0, b;
  do {
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, at];
}
function encode(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}
const skipName = (at) => {
  const [n, start] = leb(at);
  return start + n;
};

const sections = [];  // {id, start, end} of each section's contents
for (let at = 8; at < bytes.length;) {
  const [size, start] = leb(at + 1);
  sections.push({ id: bytes[at], head: at, start, end: start + size });
  at = start + size;
}
const section = (id) => sections.find((s) => s.id === id);
const code = section(10);
if (!code) fail('no code section');

const OLD = [0xfd, 0xaf, 0x01], MADD = [0xfd, 0x85, 0x02];
const sites = [];
for (let i = code.start; i + 2 < code.end; i++) {
  if (bytes[i] === OLD[0] && bytes[i + 1] === OLD[1] && bytes[i + 2] === OLD[2]) sites.push(i);
}
const text = execFileSync(wasmDis, [`${relaxed}.wasm`], { encoding: 'utf8', maxBuffer: 1 << 30 });
const fmas = (text.match(/\bf32x4\.relaxed_fma\b/g) ?? []).length;
const others = new Set(text.match(/\b[a-z0-9]+\.relaxed_[a-z0-9_]+\b/g) ?? []);
others.delete('f32x4.relaxed_fma');
if (others.size) fail(`relaxed instructions other than f32x4.fma (${[...others].join(', ')}): no rewrite is known for them`);
if (fmas === 0) fail('no f32x4.fma: is it compiled with -mrelaxed-simd and WEBDNN_RELAXED_SIMD?');
if (sites.length !== fmas) fail(`${sites.length} byte sequences of f32x4.fma but ${fmas} instructions: cannot tell them apart`);

// Parameter counts of the module's functions (imported ones first), for the new locals' indices.
const params = [];  // per type
const typeSection = section(1);
if (typeSection) {
  let [count, at] = leb(typeSection.start);
  for (; count > 0; count--) {
    if (bytes[at] !== 0x60) fail(`type ${params.length} is not a function type`);
    const [n, after] = leb(at + 1);
    params.push(n);
    const [results, r] = leb(after + n);  // value types are one byte each here (no typed references)
    at = r + results;
  }
}
const funcParams = [];
const imports = section(2);
if (imports) {
  let [count, at] = leb(imports.start);
  for (; count > 0; count--) {
    at = skipName(skipName(at));
    const kind = bytes[at++];
    if (kind === 0) {
      const [type, next] = leb(at);
      funcParams.push(params[type]);
      at = next;
    } else if (kind === 1 || kind === 2) {
      if (kind === 1) at++;  // the table's element type
      const flags = bytes[at++];
      at = leb(at)[1];
      if (flags & 1) at = leb(at)[1];
    } else if (kind === 3) {
      at += 2;
    } else if (kind === 4) {
      at = leb(at + 1)[1];
    } else {
      fail(`import of unknown kind ${kind}`);
    }
  }
}
const imported = funcParams.length;  // defined functions' indices follow the imported ones'
const funcSection = section(3);
if (funcSection) {
  let [count, at] = leb(funcSection.start);
  for (; count > 0; count--) {
    const [type, next] = leb(at);
    funcParams.push(params[type]);
    at = next;
  }
}

// The plain code section: bodies with sites get a v128 local and the four instructions per site.
const pieces = [];
let [bodies, at] = leb(code.start);
pieces.push(encode(bodies));
let next = 0;  // the next site
for (let f = 0; f < bodies; f++) {
  const [size, start] = leb(at);
  const end = start + size;
  if (next >= sites.length || sites[next] >= end) {
    pieces.push(bytes.subarray(at, end));
    at = end;
    continue;
  }
  const [groups, first] = leb(start);
  let locals = 0, p = first;
  for (let g = 0; g < groups; g++) {
    const [n, q] = leb(p);
    locals += n;
    p = q + 1;
  }
  const t = encode(funcParams[imported + f] + locals);
  const body = [...encode(groups + 1), ...bytes.subarray(first, p), 1, 0x7b];
  for (let i = p; i < end;) {
    if (sites[next] === i) {
      body.push(0x21, ...t, 0xfd, 0xe6, 0x01, 0x20, ...t, 0xfd, 0xe4, 0x01);
      next++;
      i += 3;
    } else {
      body.push(bytes[i++]);
    }
  }
  pieces.push(encode(body.length), body);
  at = end;
}
if (next !== sites.length) fail('a site lies outside every function body');
const codeBytes = Buffer.concat(pieces.map((x) => Uint8Array.from(x)));
const plainBytes = Buffer.concat([bytes.subarray(0, code.head), Uint8Array.from([10, ...encode(codeBytes.length)]), codeBytes,
  bytes.subarray(code.end)]);

for (const i of sites) bytes.set(MADD, i);
if (!WebAssembly.validate(plainBytes)) fail('the plain module made from it does not validate');
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');  // Node.js 20 has relaxed SIMD behind a flag
if (!WebAssembly.validate(bytes)) fail('the rewritten module does not validate');

fs.writeFileSync(`${relaxed}.wasm`, bytes);
fs.writeFileSync(`${plain}.wasm`, plainBytes);
const from = path.basename(relaxed), to = path.basename(plain);
for (const ext of ['.mjs', '.worker.js']) {
  if (fs.existsSync(relaxed + ext)) fs.writeFileSync(plain + ext, fs.readFileSync(relaxed + ext, 'utf8').replaceAll(from, to));
}
console.log(`relaxed_simd.mjs: ${from}.wasm and ${to}.wasm, ${fmas} fused multiply-adds`);
