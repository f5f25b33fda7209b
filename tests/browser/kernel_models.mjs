// What webgl_kernels.test.mjs and webgpu_kernels.test.mjs share: the models a script of
// *_kernel_models.py writes (again when the script or kernel_models.py is newer), their conversion
// (again when the converter or the model is newer) and onnxruntime-node's answers on seeded inputs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD, CONVERT, ort } from '../js/support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.WEBDNN_PYTHON || '/usr/bin/python3';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

export const fresh = (file, than) => fs.existsSync(file) && fs.statSync(file).mtimeMs >= fs.statSync(than).mtimeMs;

// The models of tests/browser/BACKEND_kernel_models.py (or `script`), written into
// BUILD/tests/js/BACKEND-kernel-models: { dir, index: {name: {inputs: [{name, shape}], ...extra fields}} }.
export function kernelModels(backend, script = path.join(HERE, `${backend}_kernel_models.py`)) {
  const dir = path.join(BUILD, `tests/js/${backend}-kernel-models`);
  const index = path.join(dir, 'models.json');
  if (!fresh(index, script) || !fresh(index, path.join(HERE, 'kernel_models.py'))) run(PYTHON, [script, dir]);
  return { dir, index: JSON.parse(fs.readFileSync(index, 'utf8')) };
}

// `onnx` converted into `dir` with webdnn-convert --backend `backend`, `env` added to its environment.
export function convertKernelModel(onnx, dir, backend, env = {}) {
  const manifest = path.join(dir, 'manifest.json');
  if (fresh(manifest, CONVERT) && fresh(manifest, onnx)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  run(CONVERT, [onnx, '-o', dir, '--backend', backend], env);
}

// Seeded uniform numbers in [-1, 1).
function seeded(n, seed) {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s / 4294967296) * 2 - 1;
  });
}

// Seeded inputs for the model's `meta.inputs` and onnxruntime-node's outputs on them, as verdict() takes them.
export async function kernelReference(onnx, meta) {
  const inputs = meta.inputs.map((i, k) => ({ name: i.name, type: 'float32', shape: i.shape,
    data: seeded(i.shape.reduce((a, b) => a * b, 1), 7 + k * 101) }));
  const session = await ort.InferenceSession.create(onnx);
  try {
    const result = await session.run(Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.data, i.shape)])));
    return { inputs, outputs: Object.fromEntries(session.outputNames.map((n) => [n, { type: result[n].type, shape: [...result[n].dims], data: result[n].data }])) };
  } finally {
    await session.release();
  }
}
