#!/usr/bin/env node
// Assembles the JavaScript package (the folder a web page or Node.js imports) from the JS sources
// and the Emscripten builds of the runtime core.
// usage: package.mjs --wasm-dir BUILD/wasm --out BUILD/webdnn-js
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name) => args[args.indexOf(name) + 1];
const wasmDir = arg('--wasm-dir'), out = arg('--out');
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// Emscripten 3.1.6's ES-module loader uses CommonJS names in Node.js; define them there only.
const NODE_SHIM = [
  "const require = globalThis.process?.versions?.node ? (await import('node:module')).createRequire(import.meta.url) : undefined;",
  "const __dirname = globalThis.process?.versions?.node ? (await import('node:path')).dirname((await import('node:url')).fileURLToPath(import.meta.url)) : undefined;",
  '',
].join('\n');

fs.mkdirSync(out, { recursive: true });
const copy = (from, to = path.basename(from), transform) => {
  const text = fs.readFileSync(from);
  fs.writeFileSync(path.join(out, to), transform ? transform(text.toString()) : text);
};
for (const f of fs.readdirSync(here)) {
  if (f === 'package.mjs') continue;
  if (/\.(mjs|d\.ts|json)$/.test(f)) copy(path.join(here, f));
}
// Backends with a JavaScript runner keep it in their own folder.
for (const backend of fs.readdirSync(path.join(root, 'backends'))) {
  const runner = path.join(root, 'backends', backend, 'runner');
  if (!fs.existsSync(runner)) continue;
  for (const f of fs.readdirSync(runner)) if (f.endsWith('.mjs')) copy(path.join(runner, f), f);
}
for (const variant of ['wasm', 'wasm-threaded', 'fallback']) {
  const base = `webdnn-runtime-${variant}`;
  copy(path.join(wasmDir, `${base}.mjs`), undefined, (t) => NODE_SHIM + t);
  if (fs.existsSync(path.join(wasmDir, `${base}.wasm`))) copy(path.join(wasmDir, `${base}.wasm`));
  const worker = path.join(wasmDir, `${base}.worker.js`);
  if (fs.existsSync(worker)) {
    // The worker's Node.js branch defines importScripts with eval; the ES-module build never calls
    // it, and the runtime must not contain eval at all (Content-Security-Policy).
    copy(worker, undefined, (t) => {
      const patched = t.replace(/importScripts:function\(f\)\{\(0,eval\)\(fs\.readFileSync\(f,"utf8"\)\)\},/, '');
      if (patched === t) throw new Error(`${worker}: the eval shim to remove was not found (Emscripten changed?)`);
      return patched;
    });
  }
}
const forbidden = fs.readdirSync(out).filter((f) => /\.m?js$/.test(f) &&
  /\beval\s*\(|new\s+Function\s*\(/.test(fs.readFileSync(path.join(out, f), 'utf8')));
if (forbidden.length) throw new Error(`eval or new Function in ${forbidden.join(', ')}`);
console.log(`webdnn JS package in ${out}`);
