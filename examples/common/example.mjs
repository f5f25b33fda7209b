// What the example pages share: reading the converted model's manifest and example.json, the
// backend selector, loading with a progress bar, readable errors, timing, one run at a time.
// The pages are served with the JS package at ../webdnn and the converted models at ../models
// (examples/common/prepare.mjs lays that out).
import WebDNN from '../webdnn/webdnn.mjs';

export { WebDNN };

const $ = (id) => document.getElementById(id);

// What the page is doing, for the curious (and the tests): status is 'starting', 'loading',
// 'ready', 'running' or 'error'.
export const state = {
  status: 'starting', backend: null, numThreads: 0, error: null, progress: null, runs: 0, last: null,
};
window.example = state;
// Resolves once every task queued so far (loads, runs) is done.
state.idle = () => serial(() => {});

export const ms = (t) => (t < 10 ? `${t.toFixed(1)} ms` : `${Math.round(t)} ms`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

// Tasks run one after another (loading a backend, running the model), never two at once.
let chain = Promise.resolve();
export function serial(task) {
  const p = chain.then(task);
  chain = p.catch(() => {});
  return p;
}

export function setStatus(text) {
  $('status').textContent = text;
}

// Shows a readable message instead of the raw one WebDNN.load throws.
export function showError(error, { stage = 'load' } = {}) {
  const message = String(error?.message ?? error);
  const noBackend = message.match(/no backend could run the model\. (.*)$/s);
  let title, details, hint;
  if (noBackend) {
    title = 'No backend could run this model in this browser.';
    details = noBackend[1].split('; ').map((d) => d.replace(/^(\w+): /, '$1: '));
    hint = 'Pick another backend above, or try a current version of Chrome, Edge, Firefox or Safari ' +
      '(the wasm backend needs WebAssembly with SIMD; fallback needs only JavaScript).';
  } else if (/cannot fetch manifest|manifest\.json/.test(message) && stage === 'load') {
    title = 'The converted model is not there.';
    details = [message];
    hint = `Start this page with its command, examples/${document.body.dataset.example}/run.sh, which converts the model first.`;
  } else if (/unknown backend/.test(message)) {
    title = 'This WebDNN does not have that backend yet.';
    details = [message];
    hint = 'Pick another backend above.';
  } else {
    title = stage === 'load' ? 'The model could not be loaded.' : 'The model could not be run.';
    details = [message];
    hint = 'The browser console may say more.';
  }
  $('error-title').textContent = title;
  $('error-details').replaceChildren(...details.map((d) => Object.assign(document.createElement('li'), { textContent: d })));
  $('error-hint').textContent = hint;
  $('error').hidden = false;
  $('loading').hidden = true;
  state.status = 'error';
  state.error = { title, details, hint, message, stage };
  setStatus(title);
  console.error(message);
}

function hideError() {
  $('error').hidden = true;
  state.error = null;
}

// Fills #model-info from example.json (where the model came from, what did not convert).
function describeModel(info, manifest) {
  const box = $('model-info');
  if (!box || !info) return;
  const lines = [];
  const source = info.source.split('/').slice(-3).join('/');
  lines.push(['p', `Model: ${source}${info.isDefault ? ' (the default)' : ''}, converted for ${manifest.backends.map((b) => b.name).join(', ')}.`]);
  if (info.seeded) lines.push(['p', `Note: ${info.seeded}.`, 'warning']);
  for (const s of info.skipped ?? []) lines.push(['p', `Not converted for ${s.backend}: ${s.reason}`, 'muted']);
  box.replaceChildren(...lines.map(([tag, text, cls]) => Object.assign(document.createElement(tag), { textContent: text, className: cls ?? '' })));
}

// Starts the page: reads the model's manifest, offers its backends, loads the runner and calls
// `onRunner(runner)` after each load (again when the user switches backends).
// Options in the URL: ?backend=NAME picks the backend to start with.
export async function start({ modelDir, onRunner }) {
  const select = $('backend');
  let manifest, info = null;
  try {
    const r = await fetch(`${modelDir}/manifest.json`);
    if (!r.ok) throw new Error(`cannot fetch manifest '${modelDir}/manifest.json' (HTTP ${r.status})`);
    manifest = await r.json();
    const i = await fetch(`${modelDir}/example.json`);
    if (i.ok) info = await i.json();
  } catch (e) {
    showError(e);
    return null;
  }
  state.info = info;
  describeModel(info, manifest);
  const names = ['auto', ...manifest.backends.map((b) => b.name).filter((n) => n !== 'fallback'), 'fallback'];
  select.replaceChildren(...names.map((n) => Object.assign(document.createElement('option'), {
    value: n, textContent: n === 'auto' ? 'auto (best that works here)' : n,
  })));
  const wanted = new URLSearchParams(location.search).get('backend');
  if (wanted) {
    if (!names.includes(wanted)) select.append(Object.assign(document.createElement('option'), { value: wanted, textContent: wanted }));
    select.value = wanted;
  }
  const load = () => serial(async () => {
    runner?.dispose();
    runner = null;
    hideError();
    const choice = select.value;
    state.status = 'loading';
    state.backend = null;
    state.progress = null;
    $('loading').hidden = false;
    $('progress').value = 0;
    $('progress-text').textContent = 'Loading the model...';
    setStatus(`Loading the model (${choice})...`);
    $('backend-used').textContent = '';
    const t0 = performance.now();
    try {
      runner = await WebDNN.load(modelDir, {
        backendOrder: choice === 'auto' ? undefined : [choice],
        progressCallback: (loaded, total) => {
          state.progress = { loaded, total };
          $('progress').value = total ? loaded / total : 0;
          $('progress-text').textContent = `Loading weights: ${mb(loaded)} of ${mb(total)}`;
        },
      });
    } catch (e) {
      showError(e);
      return;
    }
    const t = performance.now() - t0;
    state.backend = runner.backendName;
    state.numThreads = runner.numThreads;
    const threads = runner.numThreads > 1 ? `, ${runner.numThreads} threads` : '';
    $('backend-used').textContent = `Backend: ${runner.backendName}${threads}`;
    $('progress').value = 1;
    $('progress-text').textContent = `Loaded ${state.progress ? mb(state.progress.total) + ' of weights ' : ''}in ${ms(t)}`;
    state.status = 'ready';
    setStatus(`Ready (${runner.backendName}${threads}).`);
  });
  select.addEventListener('change', async () => {
    await load();
    if (runner) await onRunner(runner);
  });
  await load();
  if (runner) await onRunner(runner);
  return runner;
}

// The runner of the backend loaded last (null while loading or after a failure).
let runner = null;

// Runs the current runner once, in turn with loads and other runs: `prepare(runner)` sets the
// inputs (or returns false: nothing to run), the outputs are read back. Returns
// { outputs: [TypedArray], ms } (the time of run() and reading the outputs), or null when no
// runner is loaded, there was nothing to run, or after showing an error.
export function infer(prepare) {
  return serial(async () => {
    if (!runner) return null;
    state.status = 'running';
    try {
      if (await prepare(runner) === false) {
        state.status = 'ready';
        return null;
      }
      const t0 = performance.now();
      await runner.run();
      const outputs = runner.outputs.map((o) => o.toActual());
      const t = performance.now() - t0;
      state.status = 'ready';
      state.runs++;
      if (state.error?.stage === 'run') hideError();
      return { outputs, ms: t };
    } catch (e) {
      showError(e, { stage: 'run' });
      return null;
    }
  });
}

// Fills #top5 with the five most likely classes of `probabilities` (named by `labels` where
// given) and records them in state.last.
export function showTop5(probabilities, labels) {
  const top = WebDNN.Math.argmax(probabilities, 5);
  state.last = { top: top.map((i) => ({ index: i, label: labels?.[i] || `class ${i}`, probability: probabilities[i] })) };
  $('top5').replaceChildren(...state.last.top.map(({ index, label, probability }, rank) => {
    const tr = document.createElement('tr');
    tr.className = 'class-row';
    const bar = Object.assign(document.createElement('div'), { className: 'bar' });
    bar.style.width = `${Math.max(probability * 100, 0.5)}%`;
    const cells = [`${rank + 1}.`, labels?.[index] ? `${label} (${index})` : label, `${(probability * 100).toFixed(1)}%`];
    tr.append(...cells.map((t) => Object.assign(document.createElement('td'), { textContent: t })));
    const barCell = Object.assign(document.createElement('td'), { className: 'bar-cell' });
    barCell.append(bar);
    tr.append(barCell);
    return tr;
  }));
}

export function softmax(values) {
  const max = Math.max(...values);
  const exps = Array.from(values, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

// The largest centred square of an image, drawn onto a new canvas of `size` pixels (or the
// square's own size), ready for WebDNN.Image.getImageArray.
export function centerSquare(image, size) {
  const w = image.naturalWidth ?? image.width, h = image.naturalHeight ?? image.height;
  const side = Math.min(w, h);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size ?? side;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, (w - side) / 2, (h - side) / 2, side, side, 0, 0, canvas.width, canvas.height);
  return canvas;
}

// An <img> for a File (from an <input type=file>) or a URL, once decoded.
export async function loadImage(source) {
  const img = new Image();
  const url = source instanceof Blob ? URL.createObjectURL(source) : source;
  img.src = url;
  try {
    await img.decode();
  } catch {
    throw new Error(`cannot read ${source instanceof File ? `'${source.name}'` : url} as an image`);
  }
  return img;
}
