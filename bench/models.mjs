// The benchmark's models, and turning each into what the two engines load: the filled ONNX file
// (onnxruntime-web) and the webdnn-convert output for each WebDNN backend. Both are cached under
// the cache folder and rebuilt only when their source, the filling script or the converter changes.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Debian's, which has python3-onnx (see ARCHITECTURE.md); the GPU machine passes its own.
const PYTHON = '/usr/bin/python3';

// runs: timed runs after the first; VGG16 is ~4x ResNet50's work, so it gets fewer.
// range: what the seeded inputs are drawn from (ImageNet-normalised pixels; 0..255 for the
// style transfer net, which takes raw pixels).
export const MODELS = {
  resnet50: { source: 'shared', runs: 10, range: [-2, 2] },
  vgg16: { source: 'shared', runs: 3, range: [-2, 2] },
  mobilenet_v2: { source: 'shared', runs: 10, range: [-2, 2] },
  squeezenet1_1: { source: 'shared', runs: 10, range: [-2, 2] },
  style_transfer: { source: 'shared', runs: 5, range: [0, 255] },
  // ../shared/models2: transformers. Free dimensions get `shapes`; integer inputs draw integers
  // from their range (token ids under BERT's vocabulary, an attention mask of ones).
  whisper_tiny_encoder: { source: 'shared2', runs: 5, range: [-1, 1] },
  // Runs of a few milliseconds: --quick (CI) still takes 20, as three are mostly warming up.
  bert_tiny_dyn: { source: 'shared2', runs: 20, quickRuns: 20, shapes: { input_ids: [1, 128], attention_mask: [1, 128] },
    ranges: { input_ids: [0, 30521], attention_mask: [1, 1] } },
  // The same model converted once with its free dimensions kept (`free`), run at the same shape
  // as its `twin` (converted for that shape) to show what staying general costs, then at
  // each of `newShapes` in turn to show what the first run at a shape not seen before costs (one
  // such run is a single sample: several shapes make the figure a median).
  bert_tiny_free: { source: 'shared2', file: 'bert_tiny_dyn', free: true, twin: 'bert_tiny_dyn', runs: 10,
    shapes: { input_ids: [1, 128], attention_mask: [1, 128] },
    newShapes: [[1, 64], [1, 96], [2, 32], [1, 48], [1, 80]].map((s) => ({ input_ids: s, attention_mask: s })),
    ranges: { input_ids: [0, 30521], attention_mask: [1, 1] } },
  // Quantized models of ../shared/models2: static int8 QDQ (onnxruntime-web fuses it into its
  // integer kernels) and dynamic int8 (DynamicQuantizeLinear + MatMulInteger).
  mobilenet_v3_small_qdq: { source: 'shared2', file: 'mobilenet_v3_small.qdq', runs: 20, range: [-2, 2] },
  mobilenet_v3_small: { source: 'shared2', runs: 20, range: [-2, 2] },
  // Exported in half precision: float16 inputs and outputs (WebDNN's WebGPU f16 program where the
  // device has shader-f16; onnxruntime-web's float16 kernels).
  mobilenet_v3_small_fp16: { source: 'shared2', file: 'mobilenet_v3_small.fp16', runs: 20, range: [-2, 2] },
  bert_tiny_fp16: { source: 'shared2', file: 'bert_tiny_dyn.fp16', runs: 20, shapes: { input_ids: [1, 128], attention_mask: [1, 128] },
    ranges: { input_ids: [0, 30521], attention_mask: [1, 1] } },
  bert_tiny_dynint8: { source: 'shared2', file: 'bert_tiny_dyn.dynint8', runs: 10,
    shapes: { input_ids: [1, 128], attention_mask: [1, 128] }, ranges: { input_ids: [0, 30521], attention_mask: [1, 1] } },
  // The project's own nets (tools/make_models.py), with the input ranges it records.
  resnet50_own: { source: 'own', name: 'resnet50', runs: 10 },
  // The same architecture in int8 QDQ, as onnxruntime's static quantizer writes it. Its check
  // allows 5e-2: a value within float rounding of a rounding tie lands a quantization step from
  // onnxruntime's, and through 53 quantized layers such steps grow (2e-2 at the logits, the float
  // path and the integer one alike; the top class agrees). Each operator alone is exact (e2e).
  resnet50_qdq: { source: 'own', name: 'resnet50_qdq', runs: 10, tolerance: 5e-2 },
  // 4-bit weights (com.microsoft MatMulNBits), as small language models are shipped.
  mlp_nbits: { source: 'own', name: 'mlp_nbits', runs: 10 },
  vgg16_own: { source: 'own', name: 'vgg16', runs: 3 },
  // A vision transformer at full size (made only for the benchmark: 344 MB).
  vit_b16: { source: 'own', name: 'vit_b16', runs: 5 },
};
export const DEFAULT_MODELS = ['resnet50', 'vgg16', 'mobilenet_v2', 'squeezenet1_1', 'style_transfer'];

function hashFile(file) {
  return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
}

// Large files are identified by size and time, not hashed: a 500 MB hash costs seconds each run.
function statKey(file) {
  const s = fs.statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

// Runs make() unless `stamp` holds `key` and every output exists; writes the stamp after.
function cached(stamp, key, outputs, make) {
  const have = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key && outputs.every((f) => fs.existsSync(f));
  if (have) return false;
  fs.rmSync(stamp, { force: true });
  make();
  fs.writeFileSync(stamp, key);
  return true;
}

function run(command, args, what) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}): ${tail}`);
  }
  return r.stdout;
}

const fixed = (d) => typeof d === 'number' && d > 0;
const DTYPES = { float: 'float32', float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32' };
// Free dimensions (a symbolic batch size) become 1 unless the model's spec gives the shape, and
// the converter is told so.
const describe = (i, range, spec = {}) => ({
  name: i.name, shape: spec.shapes?.[i.name] ?? i.shape.map((d) => (fixed(d) ? d : 1)), free: !i.shape.every(fixed),
  range: spec.ranges?.[i.name] ?? range, dtype: DTYPES[i.dtype] ?? 'float32',
});

// Returns { name, onnx, inputs: [{name, shape, free, range, dtype}], runs, free, twin, newShapes } with
// the filled model in the cache.
// python: the interpreter to fill weights with (default Debian's); fillWrapper: a script run
// as `python fillWrapper fill_weights.py IN OUT` instead of `python fill_weights.py IN OUT`.
export function prepareOnnx(name, { repo, shared, cache, log, python = PYTHON, fillWrapper }) {
  const spec = MODELS[name];
  const dir = path.join(cache, 'models');
  fs.mkdirSync(dir, { recursive: true });
  if (spec.source === 'shared' || spec.source === 'shared2') {
    // ../shared/models/NAME.torchscript.onnx or ../shared/models2/NAME.onnx, listed in the folder's models.json
    const folder = path.join(shared, spec.source === 'shared' ? 'models' : 'models2');
    const stem = spec.file ?? name;
    const file = spec.source === 'shared' ? `${stem}.torchscript.onnx` : `${stem}.onnx`;
    const source = path.join(folder, file);
    const filler = path.join(shared, 'tools', 'fill_weights.py');
    const onnx = path.join(dir, `${stem}.onnx`);
    const key = `${hashFile(source)} ${hashFile(filler)}`;
    cached(`${onnx}.stamp`, key, [onnx], () => {
      log(`filling the weights of ${name}`);
      run(python, [...(fillWrapper ? [fillWrapper] : []), filler, source, `${onnx}.tmp.onnx`], `fill_weights.py ${name}`);
      fs.renameSync(`${onnx}.tmp.onnx`, onnx);
    });
    const index = JSON.parse(fs.readFileSync(path.join(folder, 'models.json'), 'utf8'))[file];
    const inputs = index.inputs.map((i) => describe(i, spec.range, spec));
    return { name, onnx, inputs, runs: spec.runs, quickRuns: spec.quickRuns, free: spec.free === true, twin: spec.twin, newShapes: spec.newShapes };
  }
  // make_models.py keeps its own freshness check, so it is cheap to call every time.
  const ownDir = path.join(cache, 'own');
  run(python, [path.join(repo, 'tools', 'make_models.py'), '--out', ownDir, '--only', spec.name], `make_models.py ${spec.name}`);
  const index = JSON.parse(fs.readFileSync(path.join(ownDir, 'models.json'), 'utf8'))[spec.name];
  const inputs = index.inputs.map((i) => describe(i, i.range ?? [0, 1]));
  return { name, onnx: path.join(ownDir, index.file), inputs, runs: spec.runs };
}

// Converts `model` for one WebDNN backend into its own folder (one folder per backend, so a
// backend the converter lacks fails alone). Returns the folder.
// `extra` (webdnn-convert options such as --optimize 0) gets a folder of its own.
export function convert(model, backend, { converter, cache, log, extra = [] }) {
  const tag = extra.length ? `-${crypto.createHash('sha1').update(extra.join(' ')).digest('hex').slice(0, 8)}` : '';
  const out = path.join(cache, 'converted', `${model.name}-${backend}${tag}`);
  const shapes = model.free ? []
    : model.inputs.filter((i) => i.free).flatMap((i) => ['--input-shape', `${i.name}=${i.shape.join(',')}`]);
  const args = [model.onnx, '-o', out, '--backend', backend, ...shapes, ...extra];
  const key = `${statKey(model.onnx)} ${hashFile(converter)} ${args.slice(1).join(' ')}`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  cached(`${out}.stamp`, key, [path.join(out, 'manifest.json')], () => {
    log(`converting ${model.name} for WebDNN ${backend}`);
    try {
      run(converter, args, `webdnn-convert ${model.name} --backend ${backend}`);
    } catch (e) {
      // A backend still being written is expected, not a failure of the benchmark.
      if (/unknown backend/.test(e.message)) throw Object.assign(new Error(`webdnn-convert has no '${backend}' backend yet`), { unavailable: true });
      throw e;
    }
  });
  return out;
}
