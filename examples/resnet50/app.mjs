// ResNet50 example: an image in, the five most likely ImageNet classes out.
import { centerSquare, infer, loadImage, ms, showTop5, softmax, start, state, WebDNN } from '../common/example.mjs';

const MODEL = '../models/resnet50';
// torchvision's ImageNet normalization, on 0..255 pixel values: (pixel - mean) / std.
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255];
const STD = [0.229 * 255, 0.224 * 255, 0.225 * 255];

const $ = (id) => document.getElementById(id);
let labels = null;
let picture = $('picture');
let lastInput = null;  // the model's input made from the picture (kept for the tests)

async function readLabels() {
  if (!state.info?.labels) return;
  const r = await fetch(`${MODEL}/labels.txt`);
  if (r.ok) labels = (await r.text()).split('\n').map((l) => l.trim());
}

async function classify() {
  let prepareMs = 0;
  const result = await infer(async (runner) => {
    const input = runner.inputs[0];
    // NCHW (torchvision) or NHWC
    const hwc = input.shape.length === 4 && input.shape[3] === 3 && input.shape[1] !== 3;
    const [h, w] = hwc ? input.shape.slice(1, 3) : input.shape.slice(2, 4);
    const t0 = performance.now();
    const pixels = await WebDNN.Image.getImageArray(centerSquare(picture), {
      dstW: w, dstH: h, order: hwc ? 'HWC' : 'CHW', color: 'RGB', bias: MEAN, scale: STD,
    });
    input.set(pixels);
    lastInput = pixels;
    prepareMs = performance.now() - t0;
  });
  if (!result) return;
  const scores = Array.from(result.outputs[0]);
  // Logits (most models) or already probabilities (a model that ends with Softmax).
  const sum = scores.reduce((a, b) => a + b, 0);
  const probabilities = scores.every((v) => v >= 0) && Math.abs(sum - 1) < 1e-3 ? scores : softmax(scores);
  showTop5(probabilities, labels);
  Object.assign(state.last, { ms: result.ms, input: lastInput });
  $('timing').textContent = `Inference ${ms(result.ms)} on ${state.backend}` +
    `${state.numThreads > 1 ? ` (${state.numThreads} threads)` : ''}, preprocessing ${ms(prepareMs)}` +
    (state.runs === 1 ? ' (the first run includes warming up)' : '');
}

async function use(source, caption) {
  try {
    picture.replaceWith(Object.assign(await loadImage(source), { id: 'picture', className: 'picture', alt: caption }));
  } catch (e) {
    $('picture-caption').textContent = e.message;
    return;
  }
  picture = $('picture');
  $('picture-caption').textContent = caption;
  await classify();
}

$('file').addEventListener('change', (e) => {
  const file = e.target.files[0];
  if (file) use(file, file.name);
});
$('sample').addEventListener('click', () => use('sample.png', 'sample.png: a drawn hot-air balloon'));

await picture.decode().catch(() => {});
await start({
  modelDir: MODEL,
  onRunner: async () => {
    await readLabels();
    await classify();
  },
});
