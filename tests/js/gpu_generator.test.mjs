// The generator built into the runtime (webdnn-generator.wasm, Emscripten) against webdnn-convert
// (native): for a model converted with its free dimensions kept, the page's descriptor and weights
// at a shape are those that converting with --input-shape at that shape writes (webgl: for one
// texture size, and with the half-float verdict of the converter's sample shape). In Node.js:
// no GPU is needed to generate.
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
