// The examples (examples/*) in headless Chromium, used as a person would: pick the sample image,
// draw digits with the mouse, switch the backend, open a page in a browser where no backend
// works; assertions on what the page shows. Screenshots go to BUILD/artifacts/screenshots/.
// WEBDNN_EXAMPLES=resnet50,style_transfer,digits,video picks the examples (default: all four).
// The models are converted with examples/common/prepare.mjs (as the examples' run.sh does) into
// BUILD/tests/examples/models, from the e2e tests' own ResNet50 and refilled ../shared models
// (CTest fixtures e2e_nets and shared_filled); style_transfer and digits need ../shared (skipped
// without it, an error when CI is set).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { defaults, makeSite, prepareModel, REPO } from '../../examples/common/prepare.mjs';
import { serve } from '../../tools/serve.mjs';
import { readNpy } from '../e2e/npy.mjs';
import { ort, sharedMissing } from '../js/support.mjs';
import { launch, openPage } from './driver.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const base = defaults();
const cfg = { ...base, ownModels: path.join(base.build, 'tests/e2e/models/nets'), filled: path.join(base.build, 'tests/e2e/filled') };
const MODELS = path.join(cfg.build, 'tests', 'examples', 'models');
export const SCREENSHOTS = path.join(cfg.build, 'artifacts', 'screenshots');
const which = (process.env.WEBDNN_EXAMPLES || 'resnet50,style_transfer,digits,video').split(',');

let site, server, browser;
before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  site = makeSite(fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-examples-')), { pkg: cfg.pkg, modelsDir: MODELS });
  [server, browser] = await Promise.all([serve({ root: site, isolate: true }), launch()]);
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

async function screenshot(page, name) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Opens an example's page and waits until it has loaded its model and run once (or failed).
async function open(name, query = '', { on = browser, runs = 1 } = {}) {
  const page = await openPage(on, `${server.url}/${name}/${query}`);
  await settle(page, runs);
  return page;
}

async function settle(page, runs) {
  try {
    await page.waitForFunction((n) => window.example?.status === 'error' || (window.example?.status === 'ready' && window.example.runs >= n),
      runs, { timeout: 300_000, polling: 100 });
  } catch (e) {
    throw new Error(`${e.message}\npage state: ${await page.evaluate(() => JSON.stringify(window.example)).catch(() => '?')}\n` +
      `console:\n${page.messages.join('\n')}`);
  }
  const error = await page.evaluate(() => window.example.error);
  assert.equal(error, null, `the page shows an error: ${JSON.stringify(error)}\nconsole:\n${page.messages.join('\n')}`);
}

// Every task the page has queued (loads, runs) done.
const idle = (page) => page.evaluate(() => window.example.idle());

// What every page shows once loaded: the backend used, the progress bar full.
async function checkLoaded(page, backend) {
  assert.match(await page.textContent('#backend-used'), new RegExp(`^Backend: ${backend}(, \\d+ threads)?$`));
  const progress = await page.evaluate(() => window.example.progress);
  assert.ok(progress && progress.total > 0 && progress.loaded === progress.total, `progress reported: ${JSON.stringify(progress)}`);
  assert.equal(await page.evaluate(() => document.getElementById('progress').value), 1);
  assert.match(await page.textContent('#progress-text'), /^Loaded [\d.]+ MB of weights in /);
  assert.equal(await page.isVisible('#error'), false);
}

if (which.includes('resnet50')) {
  describe('resnet50', () => {
    let info;
    before(() => {
      info = prepareModel('resnet50', { modelsDir: MODELS, cfg });
    });

    test('the sample image, picked as a file, is classified: five classes, the backend, the time', async (t) => {
      const page = await open('resnet50', '?backend=wasm');
      await checkLoaded(page, 'wasm');
      assert.match(await page.textContent('#model-info'), /seeded random weights: its classes mean nothing/);
      // The user picks the sample file.
      await page.setInputFiles('#file', path.join(REPO, 'examples/resnet50/sample.png'));
      await page.waitForFunction(() => window.example.runs >= 2 && window.example.status === 'ready');
      await idle(page);
      t.diagnostic(`screenshot: ${await screenshot(page, 'resnet50-sample')}`);
      assert.equal(await page.textContent('#picture-caption'), 'sample.png');
      const rows = await page.$$eval('#top5 tr.class-row', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      assert.equal(rows.length, 5, `five classes listed: ${JSON.stringify(rows)}`);
      const shown = rows.map(([rank, label, percent], i) => {
        assert.equal(rank, `${i + 1}.`);
        assert.match(label, /^class \d+$/);
        assert.match(percent, /^\d+\.\d%$/);
        return { index: Number(label.slice(6)), percent: Number(percent.slice(0, -1)) };
      });
      for (let i = 1; i < 5; i++) assert.ok(shown[i].percent <= shown[i - 1].percent, 'listed most likely first');
      assert.match(await page.textContent('#timing'), /^Inference [\d.]+ ms on wasm/);
      // The classes are onnxruntime's on the input the page made from the picture.
      const { top, input } = await page.evaluate(() => ({ top: window.example.last.top, input: Array.from(window.example.last.input) }));
      const session = await ort.InferenceSession.create(info.source, { intraOpNumThreads: 1 });
      const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(input), [1, 3, 224, 224]) });
      await session.release();
      const logits = Array.from(result[session.outputNames[0]].data);
      const max = Math.max(...logits);
      const sum = logits.reduce((a, v) => a + Math.exp(v - max), 0);
      const expected = logits.map((v) => Math.exp(v - max) / sum);
      const ranked = expected.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
      t.diagnostic(`page: ${top.map((c) => `${c.index} ${c.probability.toFixed(4)}`).join(', ')}; ` +
        `onnxruntime: ${ranked.map(([p, i]) => `${i} ${p.toFixed(4)}`).join(', ')}`);
      assert.equal(top[0].index, ranked[0][1], 'the most likely class is onnxruntime\'s');
      for (const c of top) assert.ok(Math.abs(c.probability - expected[c.index]) < 1e-3, `class ${c.index}: ${c.probability} vs ${expected[c.index]}`);
      assert.deepEqual(shown.map((s) => s.index), top.map((c) => c.index));
    });
  });
}

if (which.includes('style_transfer')) {
  describe('style_transfer', { skip: sharedMissing() }, () => {
    before(() => prepareModel('style_transfer', { modelsDir: MODELS, cfg }));

    test('the sample image is stylized onto the canvas: not blank, not the input', async (t) => {
      const page = await open('style_transfer', '?backend=wasm');
      await checkLoaded(page, 'wasm');
      // The user asks for the sample again.
      await page.click('#sample');
      await page.waitForFunction(() => window.example.runs >= 2 && window.example.status === 'ready');
      await idle(page);
      t.diagnostic(`screenshot: ${await screenshot(page, 'style_transfer-sample')}`);
      const stats = await page.evaluate(() => {
        const read = (id) => {
          const c = document.getElementById(id);
          return c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        };
        const input = read('input'), output = read('output');
        let sum = 0, sq = 0, diff = 0, n = 0;
        for (let i = 0; i < output.length; i += 4) {
          for (let c = 0; c < 3; c++) {
            sum += output[i + c];
            sq += output[i + c] ** 2;
            diff += Math.abs(output[i + c] - input[i + c]);
            n++;
          }
        }
        const mean = sum / n;
        return { mean, std: Math.sqrt(sq / n - mean * mean), meanDiff: diff / n, size: [document.getElementById('output').width, document.getElementById('output').height] };
      });
      t.diagnostic(`output canvas: ${JSON.stringify(stats)}`);
      assert.deepEqual(stats.size, [256, 256]);
      assert.ok(stats.std > 10, `the stylized canvas is not blank (standard deviation ${stats.std.toFixed(1)})`);
      assert.ok(stats.meanDiff > 10, `it differs from the input (mean difference ${stats.meanDiff.toFixed(1)} per channel)`);
      assert.match(await page.textContent('#timing'), /^Inference [\d.]+ ms on wasm/);
    });
  });
}

if (which.includes('digits')) {
  describe('digits', { skip: sharedMissing() }, () => {
    const STROKES = JSON.parse(fs.readFileSync(path.join(HERE, 'digit_strokes.json'), 'utf8'));
    let page;
    before(async () => {
      prepareModel('digits', { modelsDir: MODELS, cfg });
      page = await open('digits', '?backend=wasm', { runs: 0 });
      await checkLoaded(page, 'wasm');
    });

    // Draws `digit` from its recorded strokes with the mouse (pad coordinates 0..280) and returns
    // what the page shows once it has classified the drawing.
    async function draw(digit) {
      await page.click('#clear');
      const box = await page.locator('#pad').boundingBox();
      const k = box.width / 280;
      for (const stroke of STROKES[digit]) {
        await page.mouse.move(box.x + stroke[0][0] * k, box.y + stroke[0][1] * k);
        await page.mouse.down();
        for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x * k, box.y + y * k);
        await page.mouse.up();
      }
      await idle(page);
      return page.textContent('#digit');
    }

    for (const digit of ['0', '1', '2', '3', '7']) {
      test(`a ${digit} drawn with the mouse is classified as ${digit}`, async (t) => {
        const shown = await draw(digit);
        t.diagnostic(`screenshot: ${await screenshot(page, `digits-${digit}`)}`);
        const p = await page.evaluate(() => window.example.last.probabilities);
        t.diagnostic(`probabilities: ${p.map((v) => v.toFixed(3)).join(' ')}`);
        assert.equal(shown, digit);
        const rows = await page.$$eval('#probabilities tr', (trs) => trs.map((tr) => tr.cells[2].textContent));
        assert.equal(rows.length, 10);
        assert.equal(rows[Number(digit)], `${(p[Number(digit)] * 100).toFixed(1)}%`);
      });
    }

    test('the 20 held-out samples, drawn on the pad, keep their labels', async () => {
      const x = readNpy(path.join(cfg.shared, 'models', 'digits_samples_x.npy')).data;
      const labels = Array.from(readNpy(path.join(cfg.shared, 'models', 'digits_samples_y.npy')).data, Number);
      const got = [];
      for (let i = 0; i < labels.length; i++) {
        got.push(await page.evaluate(async (sample) => {
          // Each of the 8x8 values as a 35x35 block of grey, as if drawn.
          const pad = document.getElementById('pad'), ctx = pad.getContext('2d');
          ctx.fillStyle = '#fff';
          ctx.fillRect(0, 0, pad.width, pad.height);
          const b = pad.width / 8;
          sample.forEach((v, k) => {
            const g = Math.round(255 - 255 * v);
            ctx.fillStyle = `rgb(${g},${g},${g})`;
            ctx.fillRect((k % 8) * b, Math.floor(k / 8) * b, b, b);
          });
          return (await window.example.classifyNow()).digit;
        }, Array.from(x.subarray(i * 64, i * 64 + 64))));
      }
      assert.deepEqual(got, labels);
    });

    test('switching the backend to fallback: the page reloads the model and still reads a 3', async (t) => {
      await page.selectOption('#backend', 'fallback');
      await page.waitForFunction(() => window.example.status === 'ready' && window.example.backend === 'fallback');
      await checkLoaded(page, 'fallback');
      assert.equal(await draw('3'), '3');
      t.diagnostic(`screenshot: ${await screenshot(page, 'digits-fallback-3')}`);
      assert.match(await page.textContent('#timing'), /on fallback$/);
    });

    test('while the weights load, the page shows how much has come', async (t) => {
      // The network slowed down (400 KB/s) so that loading the weights takes about a second.
      const context = await browser.newContext();
      try {
        const p = await context.newPage();
        p.messages = [];
        p.on('console', (m) => p.messages.push(`[${m.type()}] ${m.text()}`));
        const cdp = await context.newCDPSession(p);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 400 * 1024, uploadThroughput: -1 });
        await p.goto(`${server.url}/digits/?backend=wasm`);
        await p.waitForFunction(() => {
          const e = window.example;
          return e?.status === 'loading' && e.progress && e.progress.loaded > 0 && e.progress.loaded < e.progress.total;
        }, null, { polling: 20, timeout: 60_000 });
        const shown = await p.evaluate(() => ({
          progress: window.example.progress, hidden: document.getElementById('loading').hidden,
          value: document.getElementById('progress').value, text: document.getElementById('progress-text').textContent,
          status: document.getElementById('status').textContent,
        }));
        t.diagnostic(`screenshot: ${await screenshot(p, 'digits-loading')}; shown while loading: ${JSON.stringify(shown)}`);
        const weights = fs.statSync(path.join(MODELS, 'digits', 'weights-wasm.bin.zst')).size;
        assert.equal(shown.progress.total, weights, 'the total is the size of the weights file');
        assert.equal(shown.hidden, false);
        assert.ok(shown.value > 0 && shown.value < 1, `progress bar at ${shown.value}`);
        assert.match(shown.text, new RegExp(`^Loading weights: [\\d.]+ MB of ${(weights / 1e6).toFixed(1).replace('.', '\\.')} MB$`));
        assert.equal(shown.status, 'Loading the model (wasm)...');
        await settle(p, 0);
        await checkLoaded(p, 'wasm');
      } finally {
        await context.close();
      }
    });

    // A webdnn-convert that fails for one backend the way a missing kernel does (its last
    // progress line names the backend, then the error) and is the real one otherwise.
    function failingConvert(dir, backend) {
      const file = path.join(dir, `convert-without-${backend}`);
      fs.writeFileSync(file, `#!/usr/bin/env bash
list=; prev=
for a in "$@"; do [[ $prev == --backend ]] && list=$a; prev=$a; done
if [[ ,$list, == *,${backend},* ]]; then
  echo "webdnn-convert: generating the ${backend} descriptor" >&2
  echo "webdnn-convert: error: no ${backend} kernel for Conv (a stand-in failure)" >&2
  exit 1
fi
exec ${JSON.stringify(cfg.convert)} "$@"
`, { mode: 0o755 });
      return file;
    }

    test('a backend that cannot convert the model is left out, and the page says which and why', async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-examples-convert-'));
      let other, otherSite;
      try {
        const models = path.join(dir, 'models');
        const logged = [];
        const info = prepareModel('digits', { modelsDir: models, cfg: { ...cfg, convert: failingConvert(dir, 'webgl') }, log: (l) => logged.push(l) });
        t.diagnostic(logged.join('\n'));
        assert.deepEqual(info.backends, ['webgpu', 'wasm']);
        assert.deepEqual(info.skipped, [{ backend: 'webgl', reason: 'no webgl kernel for Conv (a stand-in failure)' }]);
        const manifest = JSON.parse(fs.readFileSync(path.join(models, 'digits', 'manifest.json'), 'utf8'));
        assert.deepEqual(manifest.backends.map((b) => b.name).filter((n) => n !== 'fallback'), ['webgpu', 'wasm']);
        // The page, served with that conversion, still runs and lists what was left out.
        otherSite = makeSite(path.join(dir, 'www'), { pkg: cfg.pkg, modelsDir: models });
        other = await serve({ root: otherSite, isolate: true });
        const p = await openPage(browser, `${other.url}/digits/?backend=wasm`);
        await settle(p, 0);  // nothing drawn: nothing run
        await checkLoaded(p, 'wasm');
        assert.match(await p.textContent('#model-info'), /converted for webgpu, wasm\..*Not converted for webgl: no webgl kernel for Conv \(a stand-in failure\)/s);
        assert.deepEqual(await p.$$eval('#backend option', (os) => os.map((o) => o.value)), ['auto', 'webgpu', 'wasm', 'fallback']);
        await p.close();
      } finally {
        await new Promise((r) => (other ? other.close(r) : r()));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('an error converting for wasm is not hidden', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-examples-convert-'));
      try {
        assert.throws(() => prepareModel('digits', { modelsDir: path.join(dir, 'models'), cfg: { ...cfg, convert: failingConvert(dir, 'wasm') }, log: () => {} }),
          /webdnn-convert failed[^]*error: no wasm kernel for Conv \(a stand-in failure\)/);
        assert.equal(fs.existsSync(path.join(dir, 'models', 'digits')), false, 'nothing half-converted left');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a browser where no backend works gets a readable message', async (t) => {
      // Chromium without WebAssembly (driver.mjs), asked for the wasm backend.
      const noWasm = await launch({ noWasm: true });
      try {
        const p = await openPage(noWasm, `${server.url}/digits/?backend=wasm`);
        await p.waitForFunction(() => ['ready', 'error'].includes(window.example?.status));
        t.diagnostic(`screenshot: ${await screenshot(p, 'digits-no-backend')}`);
        assert.equal(await p.isVisible('#error'), true);
        assert.equal(await p.isVisible('#loading'), false);
        assert.equal(await p.textContent('#error-title'), 'No backend could run this model in this browser.');
        assert.deepEqual(await p.$$eval('#error-details li', (lis) => lis.map((li) => li.textContent)), ['wasm: WebAssembly is not available']);
        assert.match(await p.textContent('#error-hint'), /Pick another backend above/);
        assert.equal(await p.textContent('#status'), 'No backend could run this model in this browser.');
      } finally {
        await noWasm.close();
      }
    });
  });
}

if (which.includes('video')) {
  describe('video', () => {
    before(() => prepareModel('video', { modelsDir: MODELS, cfg }));

    // Chromium's fake camera (a generated test pattern) stands in for a camera, permission given.
    // One backend only (ResNet50 takes seconds a frame on SwiftShader); webgl's video input is
    // tested in gpu_io.test.mjs.
    for (const [query, source, backend] of [['', 'camera', 'webgpu']]) {
      test(`frames of the ${source} video classified on ${backend}, input on the GPU, frames per second shown`, async (t) => {
        const camera = await launch({ extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
        try {
          const page = await openPage(camera, `${server.url}/video/${query}`);
          await page.waitForFunction(() => window.example?.status === 'error' || window.example?.frames >= 2, null, { timeout: 240_000, polling: 200 });
          t.diagnostic(`screenshot: ${await screenshot(page, `video-${source}`)}`);
          const state = await page.evaluate(() => ({ ...window.example, idle: undefined }));
          assert.equal(state.error, null, `the page shows an error: ${JSON.stringify(state.error)}\n${page.messages.join('\n')}`);
          assert.equal(state.source, source);
          assert.equal(state.backend, backend);
          assert.equal(state.inputOnGpu, true);
          assert.match(await page.textContent('#fps'), /^\d+\.\d frames per second$/);
          assert.ok(state.fps > 0);
          assert.equal((await page.$$('#top5 tr.class-row')).length, 5);
          assert.match(await page.textContent('#timing'), new RegExp(`^Inference [\\d.]+ m?s on ${backend}; the frame resized and normalized on the GPU$`));
          assert.deepEqual(page.messages.filter((m) => /^\[(error|warning|pageerror)\]/.test(m)), []);
        } finally {
          await camera.close();
        }
      });
    }
  });
}
