// The npm package as a user gets it: `npm pack` of BUILD/webdnn-js, its files, package.json
// (version from runtime/js/version.mjs, exports with browser and node conditions, types), then
// the tarball alone installed into a scratch project that (a) runs a model in Node.js through
// `import WebDNN from 'webdnn'` and (b) builds a page with Vite (`vite build`, no configuration)
// whose bundle finds its WebAssembly and worker files: the model runs in Chromium on wasm, with
// threads (pthread workers) on a cross-origin isolated page, in the WebDNN worker, on webgpu.
// Answers from onnxruntime-node; the page's console must stay free of errors and warnings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { serve } from '../../tools/serve.mjs';
import { VERSION } from '../../runtime/js/version.mjs';
import { converted, model, PACKAGE, reference, REPO, verdict } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';
import { typedOutputs } from './site.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-npm-'));
const project = path.join(work, 'project');
const VITE = path.join(REPO, 'node_modules', '.bin', 'vite');

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (in ${cwd}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let tarball, conv, ref, browser, server, isolated;
before(async () => {
  conv = converted(model('op_Conv'), { gpu: true });  // webgpu and wasm
  ref = await reference(model('op_Conv'));
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work, PACKAGE], work));
  tarball = { file: path.join(work, packed[0].filename), files: packed[0].files.map((f) => f.path).sort() };
});
after(async () => {
  await browser?.close();
  await Promise.all([server, isolated].filter(Boolean).map((s) => new Promise((r) => s.close(r))));
  fs.rmSync(work, { recursive: true, force: true });
});

test('npm pack: the files a user needs, the version, exports for browsers and Node.js, types', () => {
  assert.equal(path.basename(tarball.file), `webdnn-${VERSION}.tgz`);
  const mjs = fs.readdirSync(PACKAGE).filter((f) => f.endsWith('.mjs')).sort();
  assert.deepEqual(tarball.files, [...mjs, 'LICENSE', 'README.md', 'package.json', 'webdnn-generator.wasm',
    'webdnn-runtime-wasm-threaded.wasm', 'webdnn-runtime-wasm-threaded.worker.js', 'webdnn-runtime-wasm.wasm',
    'webdnn-runtime-wasm-relaxed.wasm', 'webdnn-runtime-wasm-threaded-relaxed.wasm',
    'webdnn-runtime-wasm-threaded-relaxed.worker.js', 'webdnn.d.ts'].sort());
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
  assert.equal(pkg.version, VERSION);
  // No "type": the modules are .mjs, and Emscripten's thread worker (.worker.js) is a classic script.
  assert.equal(pkg.type, undefined);
  assert.equal(pkg.types, './webdnn.d.ts');
  assert.deepEqual(pkg.exports['.'], { types: './webdnn.d.ts', browser: './webdnn.mjs', node: './webdnn.mjs', default: './webdnn.mjs' });
});

test('installed from the tarball alone, the package runs a model in Node.js', async () => {
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  // Nothing but the tarball: no registry (the package has no dependencies).
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball.file], project);
  fs.writeFileSync(path.join(project, 'run.mjs'), [
    "import WebDNN from 'webdnn';",
    "import fs from 'node:fs';",
    "const [dir, inputs] = [process.argv[2], JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))];",
    "const runner = await WebDNN.load(dir, { backendOrder: 'wasm' });",
    'inputs.forEach((values, i) => runner.inputs[i].set(values));',
    'await runner.run();',
    'console.log(JSON.stringify({ version: WebDNN.version, outputs: Object.fromEntries(runner.outputs.map((o) => ' +
      '[o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }])) }));',
  ].join('\n'));
  fs.writeFileSync(path.join(project, 'inputs.json'), JSON.stringify(ref.inputs.map((i) => Array.from(i.data))));
  const out = JSON.parse(sh('node', ['run.mjs', conv, 'inputs.json'], project));
  assert.equal(out.version, VERSION);
  assert.equal(fs.realpathSync(path.join(project, 'node_modules', 'webdnn')).startsWith(project), true, 'a copy, not a link');
  assert.deepEqual(verdict(typedOutputs(out.outputs), ref).problems, []);
});

test('a page built with Vite from the installed package runs the model in Chromium', async (t) => {
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  fs.writeFileSync(path.join(project, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
    '<title>bundled</title><script type="module" src="/src/main.js"></script>\n');
  // The page's script: window.runModel(options, inputs) as the tests call it.
  fs.writeFileSync(path.join(project, 'src', 'main.js'), [
    "import WebDNN from 'webdnn';",
    'window.runModel = async (options, inputs) => {',
    "  const runner = await WebDNN.load('/model', options);",
    '  inputs.forEach((values, i) => runner.inputs[i].set(values));',
    '  await runner.run();',
    '  const outputs = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.toActual()) }]));',
    '  const facts = { backendName: runner.backendName, numThreads: runner.numThreads, worker: !!runner.worker };',
    '  runner.dispose();',
    '  return { ...facts, outputs };',
    '};',
    'window.ready = true;',
  ].join('\n'));
  sh(VITE, ['build', '--logLevel', 'warn'], project);
  const dist = path.join(project, 'dist');
  const assets = fs.readdirSync(path.join(dist, 'assets'));
  t.diagnostic(`vite build wrote ${assets.join(', ')}`);
  fs.symlinkSync(conv, path.join(dist, 'model'));
  [browser, server, isolated] = await Promise.all([launch(), serve({ root: dist }), serve({ root: dist, isolate: true })]);
  const inputs = ref.inputs.map((i) => Array.from(i.data));
  for (const [site, options, expect] of [
    [server, { backendOrder: 'wasm' }, { backendName: 'wasm', numThreads: 1, worker: false }],
    [isolated, { backendOrder: 'wasm', numThreads: 2 }, { backendName: 'wasm', numThreads: 2, worker: true }],
    [server, { backendOrder: 'wasm', worker: true }, { backendName: 'wasm', numThreads: 1, worker: true }],
    [server, { backendOrder: 'webgpu' }, { backendName: 'webgpu', numThreads: undefined, worker: false }],
  ]) {
    const page = await openPage(browser, `${site.url}/index.html`);
    try {
      await page.waitForFunction(() => window.ready === true);
      const r = await page.evaluate(({ options, inputs }) => window.runModel(options, inputs).catch((e) => ({ error: e.message })),
        { options, inputs });
      assert.equal(r.error, undefined, `${JSON.stringify(options)}: ${r.error}\n${page.messages.join('\n')}`);
      assert.deepEqual({ backendName: r.backendName, numThreads: r.numThreads, worker: r.worker }, expect);
      assert.deepEqual(verdict(typedOutputs(r.outputs), ref, { rel: 1e-3, abs: 1e-4 }).problems, []);
      assert.deepEqual(page.messages.filter((m) => /^\[(error|warning|pageerror)\]/.test(m)), [], JSON.stringify(options));
    } finally {
      await page.close();
    }
  }
});
