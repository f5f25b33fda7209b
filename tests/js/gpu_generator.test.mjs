// The generator built into the runtime (webdnn-generator.wasm, Emscripten) against webdnn-convert
// (native): for a model converted with its free dimensions kept, the page's descriptor and weights
// at a shape are those that converting with --input-shape at that shape writes (webgl: for one
// texture size, and with the half-float verdict of the converter's sample shape). In Node.js:
// no GPU is needed to generate. Then the weights that a model's shapes share on the GPU
// (webgpu_weights.mjs), on a stand-in device that keeps each buffer's bytes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { CONVERT, CONVERTED, PACKAGE, SHARED, convertedFreeGpu, model, newer, onnxFile, publish, run, sharedMissing } from './support.mjs';

const missing = sharedMissing();
const models2 = (name) => ({ name, source: path.join(SHARED, 'models2', `${name}.onnx`), shared: true, shapes: {}, ranges: {} });
// `loose`: backends whose descriptor may differ in what does not change a result. BERT's webgl
// descriptor names two folded constants differently and gives the attention mask's Add its
// operands in the other order (the rules meet the mask as a constant at a different point); the
// draws, textures, layouts and weights are the same.
const CASES = [
  { m: () => model('digits_cnn'), shapes: { image: [3, 1, 8, 8] }, loose: [] },
  { m: () => models2('bert_tiny_dyn'), shapes: { input_ids: [2, 7], attention_mask: [2, 7] }, loose: ['webgl'] },
];

// A webgl descriptor without what `loose` allows to differ.
const shapeOfWebGl = (d) => ({
  textures: d.textures,
  variables: d.variables.map(({ name, ...v }) => v),
  draws: d.draws.map((x) => ({ op: x.op, output: x.output, inputs: [...x.inputs].sort((a, b) => a - b) })),
  programs: d.programs.length,
});

// The descriptor of `file` in `dir` and its decompressed weights, read as a runtime reads them.
async function readConverted(dir, file) {
  const { withWeights } = await import(path.join(PACKAGE, 'backend_wasm.mjs'));
  const { ModelFiles } = await import(path.join(PACKAGE, 'files.mjs'));
  const files = new ModelFiles(dir);
  await files.manifest();
  const descriptor = await files.json(file);
  const weights = await withWeights({ files, descriptor, where: file, options: {} }, (bytes) => bytes.slice());
  return { descriptor, weights };
}

// What a descriptor says apart from its weights file, which only the converter writes.
const content = (d) => {
  const { weights, half_float: halfFloat, ...rest } = d;
  return rest;
};

describe('the generator in the page generates what webdnn-convert writes', { skip: missing }, () => {
  for (const { m, shapes, loose } of CASES) {
    test(`${m().name} at ${JSON.stringify(shapes)}`, async () => {
      const { Generator } = await import(path.join(PACKAGE, 'generator.mjs'));
      const free = convertedFreeGpu(m());
      const onnx = onnxFile(m());
      const fixed = path.join(CONVERTED, `${m().name}.gpu-at-${Object.values(shapes).map((s) => s.join('x')).join('-')}`);
      const pins = Object.entries(shapes).flatMap(([n, s]) => ['--input-shape', `${n}=${s.join(',')}`]);
      publish(fixed, () => newer(path.join(fixed, 'manifest.json'), onnx, CONVERT),
        (tmp) => run('webdnn-convert', CONVERT, [onnx, '-o', tmp, '--backend', 'webgpu,webgl', ...pins]));
      for (const [backend, options] of [['webgpu', {}], ['webgl', { max_texture_size: 2048 }]]) {
        const symbolic = await readConverted(free, `graph-${backend}.json`);
        assert.ok(Array.isArray(symbolic.descriptor.operators), `${free}/graph-${backend}.json is a symbolic graph`);
        const generator = await Generator.create(symbolic.descriptor, symbolic.weights);
        try {
          const page = generator.generate(symbolic.descriptor.inputs.map((i) => shapes[i.name]), options);
          const file = await readConverted(fixed, `graph-${backend}.json`);
          if (!loose.includes(backend)) assert.deepEqual(content(page.descriptor), content(file.descriptor), backend);
          else assert.deepEqual(shapeOfWebGl(page.descriptor), shapeOfWebGl(file.descriptor), backend);
          assert.ok(Buffer.from(page.weights).equals(Buffer.from(file.weights)), `${backend}: the weights differ`);
        } finally {
          generator.dispose();
        }
      }
    });
  }

  test('a shape the model does not take: the runtime\'s error', async () => {
    const { Generator } = await import(path.join(PACKAGE, 'generator.mjs'));
    const symbolic = await readConverted(convertedFreeGpu(model('digits_cnn')), 'graph-webgpu.json');
    const generator = await Generator.create(symbolic.descriptor, symbolic.weights);
    try {
      assert.throws(() => generator.generate([[2, 1, 9, 9]]), /input 'image' has shape \[2,1,9,9\]: axis 2 is 9 where the model takes 8/);
    } finally {
      generator.dispose();
    }
  });
});

// A WebGPU device that keeps the bytes written into its buffers.
function recordingDevice() {
  globalThis.GPUBufferUsage ??= { STORAGE: 0x80, COPY_DST: 0x8, COPY_SRC: 0x4 };
  const device = { made: 0, destroyed: 0 };
  device.createBuffer = ({ size }) => {
    device.made++;
    return { bytes: new Uint8Array(size), destroy() { device.destroyed++; } };
  };
  device.queue = { writeBuffer: (b, at, data, from, size) => b.bytes.set(data.subarray(from, from + size), at) };
  return device;
}

describe('the shapes of a model share their weights on the GPU', { skip: missing }, () => {
  // `grows`: how much more the later shapes may upload than the first did (digits: nothing).
  for (const { m, shapes, grows } of [
    { m: () => model('digits_cnn'), shapes: [[[1, 1, 8, 8]], [[3, 1, 8, 8]], [[7, 1, 8, 8]]], grows: 0 },
    { m: () => models2('bert_tiny_dyn'), shapes: [[[1, 5], [1, 5]], [[2, 3], [2, 3]], [[1, 64], [1, 64]]], grows: 0.01 },
  ]) {
    test(`${m().name} at ${shapes.map((s) => JSON.stringify(s[0])).join(', ')}: every binding reads its own bytes`, async () => {
      const { Generator } = await import(path.join(PACKAGE, 'generator.mjs'));
      const { RefCache } = await import(path.join(PACKAGE, 'ref_cache.mjs'));
      const { shareWeights } = await import(path.join(PACKAGE, 'webgpu_weights.mjs'));
      const symbolic = await readConverted(convertedFreeGpu(m()), 'graph-webgpu.json');
      const generator = await Generator.create(symbolic.descriptor, symbolic.weights);
      const device = recordingDevice();
      const cache = new RefCache((w) => w.buffer.destroy());
      const arena = device.createBuffer({ size: 4 });
      const uploaded = [], shared = [];
      try {
        for (const s of shapes) {
          const { descriptor: d, weights } = generator.generate(s);
          const placed = shareWeights(device, d, d.dispatches, weights, arena, cache);
          d.dispatches.forEach((x, i) => x.bindings.forEach(([b, offset, size], k) => {
            const [nb, noffset, nsize] = placed.dispatches[i].bindings[k];
            assert.equal(nsize, size);
            assert.equal(noffset % 256, 0, 'a binding keeps an aligned offset');
            if (b === 0) return assert.deepEqual([nb, noffset], [0, offset]);
            // A buffer of the shape's own (Winograd's scratch and prepared weights): not shared.
            if (d.buffers[b].kind) return assert.ok(placed.made.includes(placed.buffers[nb]), `dispatch ${i} binding ${k}: not its own`);
            const want = weights.subarray(d.buffers[b].weights_offset + offset, d.buffers[b].weights_offset + offset + size);
            assert.ok(Buffer.from(placed.buffers[nb].bytes.subarray(noffset, noffset + size)).equals(Buffer.from(want)),
              `${JSON.stringify(s)}: dispatch ${i} (${x.op}) binding ${k} reads other bytes`);
          }));
          uploaded.push(placed.uploaded);
          shared.push(placed);
        }
      } finally {
        generator.dispose();
      }
      assert.ok(uploaded[0] > 0);
      assert.equal(cache.keptBytes(), uploaded.reduce((a, b) => a + b, 0));
      for (const u of uploaded.slice(1)) assert.ok(u <= uploaded[0] * grows, `uploaded per shape: ${uploaded}`);
      for (const p of shared) p.release();
      assert.equal(cache.size, 0);
      const own = shared.reduce((n, p) => n + p.made.length, 0);
      assert.equal(device.destroyed, device.made - 1 - own, 'every weights buffer is freed; the arena and the shapes\' own buffers are not the cache\'s');
    });
  }
});
