// The JS package's layout and the version numbers: the sources import each other as they are in
// the repository, and the package (BUILD/webdnn-js) as it is flat; one definition of the versions
// (runtime/js/version.mjs) that the C++ tools, the manifests, the C++ runtime, the npm package and
// docs/descriptor.md all agree with; cmake --install lays out the tools and the package under a
// prefix, and what it installed converts and runs a model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { FORMAT_VERSION, VERSION } from '../../runtime/js/version.mjs';
import { BUILD, converted, model, onnxFile, PACKAGE, reference, REPO, verdict } from './support.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-package-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r;
}

// Relative specifiers of imports and of new URL(..., import.meta.url) in a module's text.
const specifiers = (text) => [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bnew\s+URL\(\s*)(['"])(\.\.?\/[^'"]+)\1/g)].map((m) => m[2]);

test('the sources resolve as they are in the repository', async () => {
  const WebDNN = (await import(pathToFileURL(path.join(REPO, 'runtime/js/webdnn.mjs')).href)).default;
  assert.equal(typeof WebDNN.load, 'function');
  for (const dir of ['runtime/js', ...fs.readdirSync(path.join(REPO, 'backends')).map((b) => `backends/${b}/runner`)]) {
    if (!fs.existsSync(path.join(REPO, dir))) continue;
    for (const f of fs.readdirSync(path.join(REPO, dir)).filter((n) => n.endsWith('.mjs') && n !== 'package.mjs')) {
      for (const spec of specifiers(fs.readFileSync(path.join(REPO, dir, f), 'utf8'))) {
        // The runtime's and the generator's Emscripten builds exist only in the package.
        if (/^\.\/webdnn-(runtime-|generator\.)/.test(spec)) continue;
        assert.ok(fs.existsSync(path.resolve(REPO, dir, spec)), `${dir}/${f} imports '${spec}', which is not there`);
      }
    }
  }
});

test('the package resolves as it is: every relative import names a file of the package', () => {
  for (const f of fs.readdirSync(PACKAGE).filter((n) => n.endsWith('.mjs'))) {
    for (const spec of specifiers(fs.readFileSync(path.join(PACKAGE, f), 'utf8'))) {
      assert.match(spec, /^\.\/[^/]+$/, `${f}: '${spec}'`);
      assert.ok(fs.existsSync(path.join(PACKAGE, spec)), `${f} imports '${spec}', which is not in the package`);
    }
  }
});

test('one version: the tools, the manifests, the C++ runtime, the package and the format note agree', () => {
  assert.equal(sh(path.join(BUILD, 'webdnn-convert'), ['--version']).stdout.trim(), `webdnn-convert ${VERSION}`);
  assert.equal(sh(path.join(BUILD, 'webdnn-run'), ['--version']).stdout.trim(), `webdnn-run ${VERSION}`);
  assert.equal(JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version, VERSION);
  const dir = converted(model('op_Conv'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.version, FORMAT_VERSION);
  assert.equal(manifest.generator, `webdnn-convert ${VERSION}`);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'graph-wasm.json'), 'utf8')).version, FORMAT_VERSION);
  const note = fs.readFileSync(path.join(REPO, 'docs/descriptor.md'), 'utf8');
  assert.equal(note.split('\n')[0], `# Output format, version ${FORMAT_VERSION}`);
  assert.ok(note.includes(`"generator": "webdnn-convert ${VERSION}"`), 'docs/descriptor.md shows another generator version');
  // The C++ runtime reads its own version only, and says which.
  const newer = path.join(work, 'newer');
  fs.cpSync(dir, newer, { recursive: true });
  const file = path.join(newer, 'graph-wasm.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), version: FORMAT_VERSION + 1 }));
  const r = spawnSync(path.join(BUILD, 'webdnn-run'), [newer, '--output-dir', path.join(work, 'out')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`format version ${FORMAT_VERSION + 1} but this runtime reads version ${FORMAT_VERSION}`));
});

test('cmake --install: the tools and the JS package under a prefix, working', async () => {
  const prefix = path.join(work, 'prefix');
  sh('cmake', ['--install', BUILD, '--prefix', prefix]);
  const convert = path.join(prefix, 'bin', 'webdnn-convert');
  assert.equal(sh(convert, ['--version']).stdout.trim(), `webdnn-convert ${VERSION}`);
  assert.match(sh(path.join(prefix, 'bin', 'webdnn-run'), ['--help']).stdout, /^usage: webdnn-run/);
  const pkg = path.join(prefix, 'lib', 'node_modules', 'webdnn');
  assert.deepEqual(fs.readdirSync(pkg).sort(), fs.readdirSync(PACKAGE).sort());
  const out = path.join(work, 'installed-model');
  sh(convert, [onnxFile(model('op_Conv')), '-o', out, '--backend', 'wasm']);
  const WebDNN = (await import(pathToFileURL(path.join(pkg, 'webdnn.mjs')).href)).default;
  const ref = await reference(model('op_Conv'));
  const runner = await WebDNN.load(out, { backendOrder: 'wasm' });
  runner.inputs[0].set(ref.inputs[0].data);
  await runner.run();
  const o = runner.outputs[0];
  const ours = { [o.name]: { type: o.dtype, shape: o.shape, data: o.toActual() } };
  runner.dispose();
  assert.deepEqual(verdict(ours, ref).problems, []);
  assert.ok(fs.existsSync(path.join(prefix, 'share', 'doc', 'webdnn', 'descriptor.md')));
});
