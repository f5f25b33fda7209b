// GPU in, GPU out. inputs[i].setImage(picture) on webgpu (a compute shader), webgl (a draw) and
// wasm (a 2D canvas), for inputs laid out CHW, HWC and grey, at the input's size and at twice it
// (bilinear), from an ImageBitmap, a canvas, a VideoFrame and a playing <video>; the expected
// values are computed here from the same pattern: (pixel - bias) / scale, then the models' ReLU
// (tests/browser/image_models.py). On webgpu, an output left on the GPU (run({download: false}),
// outputs[i].gpuBuffer) feeds a second runner sharing the device (webgpuDevice, inputs[i].set of a
// GPUBuffer). Every page's console must stay free of errors and warnings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { convertKernelModel, kernelModels } from './kernel_models.mjs';
import { usePage } from './site.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { dir: MODELS, index } = kernelModels('image', path.join(HERE, 'image_models.py'));
const noise = (page, from = 0) => page.messages.slice(from).filter((m) => /^\[(error|warning|pageerror)\]/.test(m));

const use = usePage({
  async setup({ site }) {
    for (const name of Object.keys(index)) {
      convertKernelModel(path.join(MODELS, `${name}.onnx`), path.join(MODELS, `${name}-converted`), 'webgpu,webgl,wasm');
    }
    fs.symlinkSync(MODELS, path.join(site.scratch, 'image'));
  },
});

// The picture: RGB of pixel (x, y), the same formula in the page. `smooth` for video (no jumps,
// which chroma subsampling would blur).
const PATTERNS = {
  sharp: (x, y) => [(x * 7 + y * 3) & 255, (x * 3 + y * 11 + 40) & 255, (200 - x * 2 - y * 5) & 255],
  smooth: (x, y) => [x * 3, y * 4, 100 + x + y],
};

// What the model puts out for the picture `pattern` of `factor` times the input's size, per `o`
// ({order, color, bias, scale}): each output pixel the mean of its factor x factor block.
function expected(shape, o, pattern, factor) {
  const [channels, height, width] = o.order === 'CHW' ? shape.slice(1) : [shape[3], shape[1], shape[2]];
  const pick = { RGB: [0, 1, 2], BGR: [2, 1, 0] }[o.color];
  const out = new Float32Array(channels * height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const rgb = [0, 0, 0];
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) pattern(x * factor + dx, y * factor + dy).forEach((v, c) => { rgb[c] += v / factor / factor; });
      }
      const values = o.color === 'GREY' ? [0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]] : pick.map((c) => rgb[c]);
      values.forEach((v, c) => {
        const at = o.order === 'CHW' ? (c * height + y) * width + x : (y * width + x) * channels + c;
        out[at] = Math.max(0, (v - o.bias[c]) / o.scale[c]);
      });
    }
  }
  return out;
}

const CASES = {
  image_chw: { order: 'CHW', color: 'RGB', bias: [10, 20, 30], scale: [1, 2, 4] },
  image_hwc: { order: 'HWC', color: 'BGR', bias: [30, 0, 5], scale: [2, 1, 0.5] },
  image_grey: { order: 'CHW', color: 'GREY', bias: [5], scale: [2] },
};

// In the page: loads `model` on `backend`, sets its input from a picture of the pattern made as
// `kind` ('bitmap', 'canvas', 'videoframe', 'video') at `factor` times the input's size, runs,
// returns the output (and the runner's backend).
async function runPicture(page, { model, backend, kind, factor, pattern, options, worker = false }) {
  return page.evaluate(async ({ model, backend, kind, factor, pattern, options, worker }) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const PATTERNS = {
      sharp: (x, y) => [(x * 7 + y * 3) & 255, (x * 3 + y * 11 + 40) & 255, (200 - x * 2 - y * 5) & 255],
      smooth: (x, y) => [x * 3, y * 4, 100 + x + y],
    };
    const runner = await WebDNN.load(`/scratch/image/${model}-converted`, { backendOrder: backend, worker });
    try {
      const shape = runner.inputs[0].shape;
      const hwc = shape[3] === 3 || (shape[3] === 1 && shape[1] !== 1);
      const [h, w] = hwc ? shape.slice(1, 3) : shape.slice(2, 4);
      const width = w * factor, height = h * factor;
      const data = new Uint8ClampedArray(width * height * 4);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) data.set([...PATTERNS[pattern](x, y), 255], (y * width + x) * 4);
      }
      const image = new ImageData(data, width, height);
      const canvas = Object.assign(document.createElement('canvas'), { width, height });
      canvas.getContext('2d').putImageData(image, 0, 0);
      let source, done = () => {};
      if (kind === 'bitmap') source = await createImageBitmap(image, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      else if (kind === 'canvas') source = canvas;
      else if (kind === 'videoframe') {
        source = new VideoFrame(canvas, { timestamp: 0 });
        done = () => source.close();
      } else {
        const stream = canvas.captureStream(30);
        const draw = setInterval(() => canvas.getContext('2d').putImageData(image, 0, 0), 30);
        source = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: stream });
        await source.play();
        while (source.videoWidth !== width) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => source.requestVideoFrameCallback(r));
        done = () => {
          clearInterval(draw);
          source.pause();
          stream.getTracks().forEach((t) => t.stop());
        };
      }
      runner.inputs[0].setImage(source, options);
      done();
      // Twice: the second run uses the same image input again (and must leave the console quiet).
      await runner.run();
      await runner.run();
      return { backendName: runner.backendName, worker: !!runner.worker, shape, output: Array.from(runner.outputs[0].toActual()) };
    } finally {
      runner.dispose();
    }
  }, { model, backend, kind, factor, pattern, options, worker });
}

// max |ours - want| in 0..255 pixel levels (the values scaled back), and the mean.
function levels(ours, want, o) {
  const channels = o.bias.length;
  let max = 0, sum = 0;
  ours.forEach((v, i) => {
    const c = o.order === 'CHW' ? Math.floor(i / (ours.length / channels)) : i % channels;
    const d = Math.abs(v - want[i]) * o.scale[c];
    max = Math.max(max, d);
    sum += d;
  });
  return { max, mean: sum / ours.length };
}

for (const backend of ['webgpu', 'webgl', 'wasm']) {
  test(`${backend}: setImage of an ImageBitmap, CHW, HWC and grey, at the input's size${backend === 'wasm' ? '' : ' and twice it'}`, async () => {
    const from = use.page.messages.length;
    for (const [model, o] of Object.entries(CASES)) {
      for (const factor of backend === 'wasm' ? [1] : [1, 2]) {
        const r = await runPicture(use.page, { model, backend, kind: 'bitmap', factor, pattern: 'sharp', options: o });
        assert.equal(r.backendName, backend);
        const want = expected(index[model].inputs[0].shape, o, PATTERNS.sharp, factor);
        const { max } = levels(r.output, want, o);
        // Exact at the input's size; at twice it the GPU's filter weights are 8-bit fractions.
        assert.ok(max <= (factor === 1 ? 1e-3 : 1), `${model} x${factor}: off by up to ${max} pixel levels`);
      }
    }
    assert.deepEqual(noise(use.page, from), []);
  });
}

test('webgpu and webgl: setImage of a canvas and a VideoFrame', async () => {
  const from = use.page.messages.length;
  const o = CASES.image_chw;
  const want = expected(index.image_chw.inputs[0].shape, o, PATTERNS.sharp, 1);
  for (const backend of ['webgpu', 'webgl']) {
    for (const kind of ['canvas', 'videoframe']) {
      const r = await runPicture(use.page, { model: 'image_chw', backend, kind, factor: 1, pattern: 'sharp', options: o });
      const { max } = levels(r.output, want, o);
      assert.ok(max <= 1e-3, `${backend} ${kind}: off by up to ${max} pixel levels`);
    }
  }
  assert.deepEqual(noise(use.page, from), []);
});

test('a playing video: webgpu (external texture) and webgl (texture) agree with the 2D canvas path', async () => {
  const from = use.page.messages.length;
  const o = CASES.image_chw;
  const want = expected(index.image_chw.inputs[0].shape, o, PATTERNS.smooth, 1);
  for (const backend of ['webgpu', 'webgl', 'wasm']) {
    const r = await runPicture(use.page, { model: 'image_chw', backend, kind: 'video', factor: 1, pattern: 'smooth', options: o });
    // The video's frames are YUV with halved chroma: close to the picture, not equal.
    const { max, mean } = levels(r.output, want, o);
    assert.ok(mean <= 2 && max <= 12, `${backend}: off by ${mean.toFixed(2)} pixel levels on average, ${max.toFixed(1)} at most`);
  }
  assert.deepEqual(noise(use.page, from), []);
});

test('in a worker, setImage goes through a canvas on the page and gives the same values', async () => {
  const o = CASES.image_hwc;
  const r = await runPicture(use.page, { model: 'image_hwc', backend: 'webgpu', kind: 'bitmap', factor: 1, pattern: 'sharp', options: o, worker: true });
  assert.equal(r.worker, true);
  assert.ok(levels(r.output, expected(index.image_hwc.inputs[0].shape, o, PATTERNS.sharp, 1), o).max <= 1e-3);
});

test('webgpu: an output left on the GPU feeds a second runner on the same device', async () => {
  const from = use.page.messages.length;
  const values = Array.from({ length: 3 * 24 * 32 }, (_, i) => Math.sin(i) * 3);
  const r = await use.page.evaluate(async (values) => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const dir = '/scratch/image/image_chw-converted';
    const first = await WebDNN.load(dir, { backendOrder: 'webgpu' });
    const second = await WebDNN.load(dir, { backendOrder: 'webgpu', webgpuDevice: first.device });
    first.inputs[0].set(values);
    await first.run({ download: false });
    const left = (() => {
      try {
        first.outputs[0].toActual();
        return 'read';
      } catch (e) {
        return e.message;
      }
    })();
    // What the page reads from the output's buffer itself.
    const { device } = first;
    const bytes = first.outputs[0].gpuBuffer.size;
    const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(first.outputs[0].gpuBuffer, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const direct = Array.from(new Float32Array(read.getMappedRange().slice(0)));
    read.destroy();
    second.inputs[0].set(first.outputs[0].gpuBuffer);
    await second.run();
    const chained = Array.from(second.outputs[0].toActual());
    second.dispose();  // the device is first's: it must outlive second
    first.inputs[0].set(values.map((v) => -v));
    await first.run();
    const again = Array.from(first.outputs[0].toActual());
    first.dispose();
    return { left, direct, chained, again, shared: second.device === first.device };
  }, values);
  const relu = values.map((v) => Math.max(0, v));
  const close = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 1e-6);
  assert.equal(r.left, "output 'y' was left on the GPU (run({download: false})): read its gpuBuffer");
  assert.ok(r.shared);
  assert.ok(close(r.direct, relu), 'the gpuBuffer does not hold the output');
  assert.ok(close(r.chained, relu), 'the second runner did not read the first one\'s output');
  assert.ok(close(r.again, values.map((v) => Math.max(0, -v))), 'the first runner broke once the second was disposed');
  assert.deepEqual(noise(use.page, from), []);
});
