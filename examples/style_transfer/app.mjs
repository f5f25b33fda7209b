// Style transfer example: an image in, the network's picture out, drawn to a canvas.
import { centerSquare, infer, loadImage, ms, start, state, WebDNN } from '../common/example.mjs';

const $ = (id) => document.getElementById(id);
let image = null;     // the picked image (an <img>)
let output = null;    // the last output: { data (CHW), width, height }

// Output values to bytes. A trained network gives 0..255; one with untrained (refilled) weights
// gives a small range around 0, which 'auto' stretches so that it can be seen.
function toBytes(data, mode) {
  let lo = Infinity, hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const stretch = mode === 'stretch' || (mode === 'auto' && hi - lo < 32);
  $('range-note').textContent = `Output values from ${lo.toFixed(2)} to ${hi.toFixed(2)}` +
    (stretch ? ', stretched to 0..255 for display.' : ', clamped to 0..255.');
  if (!stretch) return (v) => v;
  const k = hi > lo ? 255 / (hi - lo) : 0;
  return (v) => (v - lo) * k;
}

function draw() {
  if (!output) return;
  const { data, width, height } = output;
  const map = toBytes(data, $('range').value);
  const canvas = $('output');
  canvas.width = width;
  canvas.height = height;
  const pixels = new ImageData(width, height);
  const plane = width * height;
  for (let p = 0; p < plane; p++) {
    pixels.data[p * 4] = map(data[p]);
    pixels.data[p * 4 + 1] = map(data[plane + p]);
    pixels.data[p * 4 + 2] = map(data[2 * plane + p]);
    pixels.data[p * 4 + 3] = 255;
  }
  canvas.getContext('2d').putImageData(pixels, 0, 0);
}

async function stylize() {
  if (!image) return;
  let prepareMs = 0, size;
  const result = await infer(async (runner) => {
    const input = runner.inputs[0];
    const [h, w] = input.shape.slice(2, 4);
    size = [w, h];
    const t0 = performance.now();
    const square = centerSquare(image, w === h ? w : undefined);
    const shown = $('input');
    [shown.width, shown.height] = [w, h];
    shown.getContext('2d').drawImage(square, 0, 0, w, h);
    input.set(await WebDNN.Image.getImageArray(shown, { order: 'CHW', color: 'RGB' }));
    prepareMs = performance.now() - t0;
  });
  if (!result) return;
  if (result.outputs[0].length !== 3 * size[0] * size[1]) {
    $('timing').textContent = `The output has ${result.outputs[0].length} values, not 3 x ${size[0]} x ${size[1]}: is this a style transfer network?`;
    return;
  }
  output = { data: result.outputs[0], width: size[0], height: size[1] };
  draw();
  state.last = { ms: result.ms };
  $('timing').textContent = `Inference ${ms(result.ms)} on ${state.backend}` +
    `${state.numThreads > 1 ? ` (${state.numThreads} threads)` : ''}, preprocessing ${ms(prepareMs)}` +
    (state.runs === 1 ? ' (the first run includes warming up)' : '');
}

async function use(source, caption) {
  try {
    image = await loadImage(source);
  } catch (e) {
    $('input-caption').textContent = e.message;
    return;
  }
  $('input-caption').textContent = caption;
  await stylize();
}

$('file').addEventListener('change', (e) => {
  const file = e.target.files[0];
  if (file) use(file, file.name);
});
$('sample').addEventListener('click', () => use('sample.png', 'sample.png: a drawn landscape'));
$('range').addEventListener('change', draw);

image = await loadImage('sample.png');
$('input').getContext('2d').drawImage(centerSquare(image, 256), 0, 0);
await start({ modelDir: '../models/style_transfer', onRunner: stylize });
