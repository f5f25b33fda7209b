// Digits example: draw on the pad, see the digit classified live by digits_cnn.
import { infer, ms, softmax, start, state } from '../common/example.mjs';
import { digitInput, SIZE } from './preprocess.mjs';

const $ = (id) => document.getElementById(id);
const pad = $('pad');
const ctx = pad.getContext('2d');
const PEN = pad.width / 13;  // stroke width: thick, like the training digits

function clear() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, pad.width, pad.height);
  $('digit').textContent = '?';
  $('small').getContext('2d').clearRect(0, 0, SIZE, SIZE);
  showProbabilities(null);
  $('timing').textContent = '';
  state.last = null;
}

function showProbabilities(p) {
  $('probabilities').replaceChildren(...Array.from({ length: 10 }, (_, d) => {
    const tr = document.createElement('tr');
    const bar = Object.assign(document.createElement('div'), { className: 'bar' });
    bar.style.width = `${p ? Math.max(p[d] * 100, 0.5) : 0}%`;
    const barCell = Object.assign(document.createElement('td'), { className: 'bar-cell' });
    if (p) barCell.append(bar);
    tr.append(Object.assign(document.createElement('td'), { textContent: String(d) }), barCell,
      Object.assign(document.createElement('td'), { textContent: p ? `${(p[d] * 100).toFixed(1)}%` : '' }));
    return tr;
  }));
}

function showInput(input) {
  const small = $('small').getContext('2d');
  const img = new ImageData(SIZE, SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) {
    const v = 255 - Math.round(input[i] * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  small.putImageData(img, 0, 0);
}

// Classifies what the pad shows now. Returns { digit, probabilities } or null (nothing drawn).
async function classifyNow() {
  let drawn = null;
  const result = await infer(async (runner) => {
    drawn = await digitInput(pad);
    if (!drawn) return false;
    runner.inputs[0].set(drawn.input);
  });
  if (!result || !drawn) return null;
  const probabilities = softmax(result.outputs[0]);
  const digit = probabilities.indexOf(Math.max(...probabilities));
  showInput(drawn.input);
  showProbabilities(probabilities);
  $('digit').textContent = String(digit);
  $('timing').textContent = `Inference ${ms(result.ms)} on ${state.backend}`;
  state.last = { digit, probabilities, input: Array.from(drawn.input), ms: result.ms };
  return state.last;
}

// Live: one classification at a time, and one more queued while the pen keeps moving.
let queued = null;
function requestClassify() {
  if (!queued) queued = Promise.resolve().then(() => { queued = null; return classifyNow(); });
  return queued;
}
state.classifyNow = classifyNow;

let last = null;
function point(e) {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
}
pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  last = point(e);
  ctx.beginPath();
  ctx.fillStyle = '#000';
  ctx.arc(last[0], last[1], PEN / 2, 0, 2 * Math.PI);
  ctx.fill();
  e.preventDefault();
});
pad.addEventListener('pointermove', (e) => {
  if (!last) return;
  const p = point(e);
  Object.assign(ctx, { strokeStyle: '#000', lineWidth: PEN, lineCap: 'round', lineJoin: 'round' });
  ctx.beginPath();
  ctx.moveTo(...last);
  ctx.lineTo(...p);
  ctx.stroke();
  last = p;
  requestClassify();
});
const up = () => {
  if (!last) return;
  last = null;
  requestClassify();
};
pad.addEventListener('pointerup', up);
pad.addEventListener('pointercancel', up);
$('clear').addEventListener('click', clear);

clear();
await start({ modelDir: '../models/digits', onRunner: () => classifyNow() });
