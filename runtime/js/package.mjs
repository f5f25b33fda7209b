#!/usr/bin/env node
// Assembles the JavaScript package (the folder a web page, a bundler or Node.js imports) from the
// JS sources and the Emscripten builds of the runtime core.
// usage: package.mjs --wasm-dir BUILD/wasm --out BUILD/webdnn-js
//
// The package is flat: runtime/js/*, each backends/NAME/runner/* (as NAME_FILE where FILE does not
// say NAME) and the runtime builds side by side. In the repository the sources import each other by their real relative paths (so they
// resolve as they are); here those specifiers are rewritten to the flat names.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { VERSION } from './version.mjs';

const args = process.argv.slice(2);
const arg = (name) => args[args.indexOf(name) + 1];
const wasmDir = arg('--wasm-dir'), out = arg('--out');
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// Emscripten 3.1.6's ES-module loader uses CommonJS names in Node.js; define them there only.
// process.getBuiltinModule rather than import(): bundlers must not see Node.js modules.
const NODE_SHIM = [
  "const require = globalThis.process?.getBuiltinModule ? globalThis.process.getBuiltinModule('module').createRequire(import.meta.url) : undefined;",
  "const __dirname = globalThis.process?.getBuiltinModule ? globalThis.process.getBuiltinModule('path').dirname(globalThis.process.getBuiltinModule('url').fileURLToPath(import.meta.url)) : undefined;",
  '',
].join('\n');

// Package file name -> source path, for the JavaScript sources.
const sources = new Map();
const addSource = (file, name = path.basename(file)) => {
  if (sources.has(name)) throw new Error(`${file} and ${sources.get(name)} would both be ${name} in the package`);
  sources.set(name, file);
};
for (const f of fs.readdirSync(here)) {
  if (f !== 'package.mjs' && f !== 'package.json' && /\.(mjs|d\.ts)$/.test(f)) addSource(path.join(here, f));
}
// Backends with a JavaScript runner keep it in their own folder. A runner file whose name does not
// say its backend (validate.mjs) is packaged as BACKEND_NAME, so that runners may use the same names.
for (const backend of fs.readdirSync(path.join(root, 'backends')).sort()) {
  const runner = path.join(root, 'backends', backend, 'runner');
  if (!fs.existsSync(runner)) continue;
  for (const f of fs.readdirSync(runner).sort()) {
    if (f.endsWith('.mjs')) addSource(path.join(runner, f), f.includes(backend) ? f : `${backend}_${f}`);
  }
}
const byPath = new Map([...sources].map(([name, file]) => [file, name]));

// The files made by the build (the runtime core); sources may name them as './NAME'.
const built = [];
const RUNTIMES = ['webdnn-runtime-wasm', 'webdnn-runtime-wasm-relaxed', 'webdnn-runtime-wasm-threaded',
  'webdnn-runtime-wasm-threaded-relaxed', 'webdnn-runtime-fallback', 'webdnn-generator'];
for (const base of RUNTIMES) {
  for (const ext of ['.mjs', '.wasm', '.worker.js']) if (fs.existsSync(path.join(wasmDir, base + ext))) built.push(base + ext);
}

// Relative specifiers of static and dynamic imports and of new URL(..., import.meta.url).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew\s+URL\(\s*)(['"])(\.\.?\/[^'"]+)\2/g;

function flatten(file, text) {
  return text.replace(SPECIFIER, (whole, before, quote, spec) => {
    const target = path.resolve(path.dirname(file), spec);
    const name = byPath.get(target) ?? (spec.startsWith('./') && built.includes(spec.slice(2)) ? spec.slice(2) : null);
    if (!name) throw new Error(`${path.relative(root, file)}: '${spec}' is neither a package source nor a runtime build file`);
    return `${before}${quote}./${name}${quote}`;
  });
}

fs.mkdirSync(out, { recursive: true });
const written = new Set();
const write = (name, data) => {
  written.add(name);
  fs.writeFileSync(path.join(out, name), data);
};
for (const [name, file] of sources) {
  const text = fs.readFileSync(file, 'utf8');
  write(name, name.endsWith('.mjs') ? flatten(file, text) : text);
}
for (const f of ['README.md', 'LICENSE']) {
  const from = f === 'LICENSE' ? path.join(root, f) : path.join(here, f);
  if (fs.existsSync(from)) write(f, fs.readFileSync(from));
}
// package.json: the template's fields, the version from its one definition.
const manifest = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
write('package.json', `${JSON.stringify({ ...manifest, version: VERSION }, null, 2)}\n`);

for (const name of built) {
  const from = path.join(wasmDir, name);
  let text = fs.readFileSync(from);
  if (name.endsWith('.mjs')) {
    // Emscripten 3.1.6 knows a worker by importScripts, which module workers (the WebDNN worker)
    // lack: it would take one for no known environment, fail to find its files and warn when
    // threads block. Later Emscriptens test WorkerGlobalScope, as here.
    const t = text.toString();
    text = t.replace('var ENVIRONMENT_IS_WORKER=typeof importScripts=="function";',
      'var ENVIRONMENT_IS_WORKER=typeof WorkerGlobalScope!="undefined";');
    if (text === t) throw new Error(`${from}: the worker test to change was not found (Emscripten changed?)`);
    text = NODE_SHIM + text;
  } else if (name.endsWith('.worker.js')) {
    // The worker's Node.js branch defines importScripts with eval; the ES-module build never calls
    // it, and the runtime must not contain eval at all (Content-Security-Policy).
    const t = text.toString();
    text = t.replace(/importScripts:function\(f\)\{\(0,eval\)\(fs\.readFileSync\(f,"utf8"\)\)\},/, '');
    if (text === t) throw new Error(`${from}: the eval shim to remove was not found (Emscripten changed?)`);
  }
  write(name, text);
}
// What an earlier build wrote and this one did not (a renamed source) must not ship.
for (const f of fs.readdirSync(out)) if (!written.has(f)) fs.rmSync(path.join(out, f), { recursive: true });
const forbidden = fs.readdirSync(out).filter((f) => /\.m?js$/.test(f) &&
  /\beval\s*\(|new\s+Function\s*\(/.test(fs.readFileSync(path.join(out, f), 'utf8')));
if (forbidden.length) throw new Error(`eval or new Function in ${forbidden.join(', ')}`);
console.log(`webdnn JS package ${VERSION} in ${out}`);
