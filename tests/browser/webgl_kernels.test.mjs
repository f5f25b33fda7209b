// The WebGL kernels' fast paths and edges (webgl_kernel_models.py: convolutions of every shape
// class the image layout meets, ConvTranspose, more inputs than a draw samples, image <-> flat
// layout changes) in Chromium, against onnxruntime-node on the same seeded inputs, within
// 1e-3 * max|ref| + 1e-4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { BUILD, CONVERT, CONVERTED_WEBGL, ort, verdict } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';
import { startSite } from './site.mjs';
import { runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'webgl_kernel_models.py');
const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';
const MODELS = path.join(BUILD, 'tests/js/webgl-kernel-models');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

const fresh = (file, than) => fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(than).mtimeMs;
if (!fresh(path.join(MODELS, 'models.json'), SCRIPT)) run(PYTHON, [SCRIPT, MODELS]);
const index = JSON.parse(fs.readFileSync(path.join(MODELS, 'models.json'), 'utf8'));

// Seeded uniform numbers in [-1, 1).
function seeded(n, seed) {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s / 4294967296) * 2 - 1;
  });
}

let browser, site, page;
before(async () => {
  [browser, site] = await Promise.all([launch(), startSite()]);
  page = await openPage(browser, `${site.plain.url}/index.html`);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

for (const [name, meta] of Object.entries(index)) {
  test(name, async (t) => {
    const onnx = path.join(MODELS, `${name}.onnx`);
    const dir = path.join(CONVERTED_WEBGL, `kernel_${name}`);
    if (!fresh(path.join(dir, 'manifest.json'), CONVERT) || !fresh(path.join(dir, 'manifest.json'), onnx)) {
      fs.rmSync(dir, { recursive: true, force: true });
      run(CONVERT, [onnx, '-o', dir, '--backend', 'webgl']);
    }
    const inputs = meta.inputs.map((i, k) => ({ name: i.name, type: 'float32', shape: i.shape,
      data: seeded(i.shape.reduce((a, b) => a * b, 1), 7 + k * 101) }));
    const session = await ort.InferenceSession.create(onnx);
    const result = await session.run(Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.data, i.shape)])));
    const ref = { inputs, outputs: Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, shape: [...result[n].dims], data: result[n].data }])) };
    await session.release();
    const ours = await runWebGl(page, `/models-webgl/kernel_${name}`, { backendOrder: ['webgl'] }, inputs);
    assert.equal(ours.backendName, 'webgl');
    assert.equal(ours.runError, null);
    const { problems, lines } = verdict(ours.outputs, ref, WEBGL_TOLERANCE);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(problems, [], `${name} on webgl disagrees with onnxruntime:\n${problems.join('\n')}`);
  });
}
