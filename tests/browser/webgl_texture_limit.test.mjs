// Texture limits on the WebGL backend, with our own wide_fc (a 69 MB fully connected weight: more
// than one texture of 2048 texels a side holds, 64 MiB, less than one of 4096): the conversion
// writes a descriptor per texture size that needs its own (2048, and 4096, which serves 16384
// too: a variant equal to the next smaller one is dropped) sharing one weights file; forced down
// to 2048 with the load option webglMaxTextureSize, the runner takes the variant made for 2048,
// whose every texture fits, and still gives onnxruntime's answers; below 2048 it declines. (Our
// VGG16, which this test ran before, tells the same in two more minutes of SwiftShader.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { convertedWebGl, model, reference, verdict } from '../js/support.mjs';
import { usePage } from './site.mjs';
import { runWebGl, WEBGL_TOLERANCE } from './webgl_support.mjs';

let dir, ref;
const use = usePage({
  async setup() {
    dir = convertedWebGl(model('wide_fc'));
    ref = await reference(model('wide_fc'));
  },
});

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

test('the manifest lists a variant per texture size, sharing the weights', () => {
  const entry = readJson('manifest.json').backends.find((b) => b.name === 'webgl');
  assert.deepEqual(entry.variants.map((v) => v.max_texture_size), [2048, 4096]);
  for (const v of entry.variants) {
    const d = readJson(v.descriptor);
    assert.equal(d.max_texture_size, v.max_texture_size);
    assert.equal(d.weights.file, entry.weights[0]);
    for (const t of d.textures) {
      assert.ok(t.width <= v.max_texture_size && t.height <= v.max_texture_size,
        `texture ${t.width}x${t.height} in the variant for ${v.max_texture_size}`);
    }
  }
  // The split is there where the weight does not fit: the layer in pieces for 2048 only.
  const pieces = (v) => readJson(v.descriptor).draws.filter((d) => d.op.includes(':part')).length;
  assert.ok(pieces(entry.variants[0]) > 0, 'pieces for 2048');
  assert.equal(pieces(entry.variants[1]), 0, 'no pieces for 4096');
  // One copy of the weights for all variants (4100 x 4200 + 4100 parameters).
  const bytes = readJson(entry.descriptor).weights.bytes;
  assert.ok(bytes < 17.23e6 * 4 * 1.01, `${bytes} bytes of weights`);
});

test('wide_fc with textures limited to 2048 texels', async (t) => {
  const ours = await runWebGl(use.page, `/models-webgl/wide_fc`, { backendOrder: ['webgl'], webglMaxTextureSize: 2048 }, ref.inputs);
  assert.equal(ours.backendName, 'webgl');
  assert.equal(ours.maxTextureSize, 2048, 'the variant converted for 2048');
  assert.equal(ours.runError, null);
  const { problems, lines } = verdict(ours.outputs, ref, WEBGL_TOLERANCE);
  for (const l of lines) t.diagnostic(l);
  assert.deepEqual(problems, [], `wide_fc at 2048 disagrees with onnxruntime:\n${problems.join('\n')}`);
});

// Loaded, not run: a second run tells no more than the run at 2048 (the variants share every
// kernel but the split layer's).
test('without a limit the largest variant the context allows', async () => {
  const r = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const max = new OffscreenCanvas(1, 1).getContext('webgl2').getParameter(0x0D33);
    const runner = await WebDNN.load('/models-webgl/wide_fc', { backendOrder: ['webgl'] });
    const chosen = runner.maxTextureSize;
    runner.dispose();
    return { max, chosen };
  });
  assert.equal(r.chosen, [2048, 4096].filter((s) => s <= r.max).at(-1));
});

test('a limit below every variant declines', async () => {
  const message = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    try {
      await WebDNN.load('/models-webgl/wide_fc', { backendOrder: ['webgl'], webglMaxTextureSize: 1024 });
    } catch (e) {
      return e.message;
    }
    return 'loaded';
  });
  assert.match(message, /webgl: textures here are at most 1024 texels a side, but the model was converted for 2048 or more/);
});
