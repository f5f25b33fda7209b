// Live video example: every frame the model can take goes in through inputs[0].setImage(video)
// (on the GPU where the backend is webgpu or webgl), the top 5 classes and the frames per second
// are shown. ?source=generated starts with the generated video instead of the camera.
import { infer, ms, showTop5, softmax, start, state } from '../common/example.mjs';

const MODEL = '../models/resnet50';
// torchvision's ImageNet normalization, on 0..255 pixel values: (pixel - mean) / std.
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255];
const STD = [0.229 * 255, 0.224 * 255, 0.225 * 255];

const $ = (id) => document.getElementById(id);
const video = $('video');
let stream = null;
state.frames = 0;
state.fps = 0;

// Moving shapes on a canvas, as a video stream (for machines without a camera, and the tests).
function generatedStream() {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
  const g = canvas.getContext('2d');
  const draw = (t) => {
    g.fillStyle = `hsl(${(t / 40) % 360}, 60%, 75%)`;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#2b6cb0';
    g.beginPath();
    g.arc(160 + 100 * Math.sin(t / 700), 120 + 60 * Math.cos(t / 900), 40, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#c53030';
    g.fillRect(40 + (t / 10) % 240, 170, 40, 40);
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  return canvas.captureStream(30);
}

async function useSource(kind) {
  stream?.getTracks().forEach((t) => t.stop());
  $('source-note').textContent = '';
  if (kind === 'camera') {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (e) {
      $('source-note').textContent = `No camera (${e.name}): showing the generated video.`;
      $('source').value = 'generated';
      kind = 'generated';
    }
  }
  if (kind === 'generated') stream = generatedStream();
  state.source = kind;
  video.srcObject = stream;
  await video.play();
}

// Frames per second over the last two seconds of finished frames.
const finished = [];
function countFrame() {
  const now = performance.now();
  finished.push(now);
  while (finished.length > 2 && now - finished[0] > 2000) finished.shift();
  state.frames++;
  state.fps = finished.length > 1 ? (finished.length - 1) / ((now - finished[0]) / 1000) : 0;
  $('fps').textContent = finished.length > 1 ? `${state.fps.toFixed(1)} frames per second` : 'first frame done';
}

// One frame: the latest video frame into the model, its classes shown. Returns false when there
// was no frame to take.
async function classifyFrame() {
  let onGpu = false;
  const result = await infer((runner) => {
    if (video.readyState < 2) return false;
    runner.inputs[0].setImage(video, { bias: MEAN, scale: STD });
    onGpu = runner.backendName === 'webgpu' || runner.backendName === 'webgl';
    return true;
  });
  if (!result) return false;
  const scores = Array.from(result.outputs[0]);
  showTop5(softmax(scores));
  state.inputOnGpu = onGpu;
  countFrame();
  $('timing').textContent = `Inference ${ms(result.ms)} on ${state.backend}` +
    `${state.numThreads > 1 ? ` (${state.numThreads} threads)` : ''}; the frame ${onGpu ? 'resized and normalized on the GPU' : 'read through a canvas'}`;
  return true;
}

// As fast as the model goes: the next frame as soon as the last one is done.
async function loop() {
  for (;;) {
    if (!(await classifyFrame())) await new Promise((r) => setTimeout(r, 50));
  }
}

$('source').addEventListener('change', () => useSource($('source').value));
const wanted = new URLSearchParams(location.search).get('source');
if (wanted === 'generated') $('source').value = 'generated';
await useSource($('source').value);
await start({ modelDir: MODEL, onRunner: async () => {} });
loop();
