#!/usr/bin/env node
// Tile sweep on a real GPU: one-operator models (the convolutions of VGG16 and ResNet50, the
// products of a transformer encoder; ops.py writes them) converted once per tile setting
// (WEBDNN_WEBGPU_TILES, read by the webgpu generator's gemm.cc) and timed by the GPU's timestamps
// through WebDNN's profile(). Prints, per operator, microseconds and TFLOP/s under each setting,
// the totals weighted by how often each operator occurs in its model, and whether each setting's
// outputs agree with the default's. Not part of CI: a tool for choosing the generator's tiles.
//
// A setting "gemv=C" instead sets WEBDNN_WEBGPU_GEMV_COLS (columns per workgroup of one-row products).
//
// usage: node bench/gpu/sweep.mjs [--tiles "8,8,4,4,16 16,16,8,8,8 gemv=2 ..."] [--only NAME,...] [--repeat N]
//        [--build DIR] [--dawn DIR] [--python PATH] [--work DIR] [--out DIR] [--budget S]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adapterInfo, openDawn } from './dawn.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(path.dirname(HERE));

// name: [kind, numbers, where it occurs and how often]
const OPS = {
  vgg_c1: ['conv', '3,224,224,64,3,1,1', { vgg16: 1 }],
  vgg_c2: ['conv', '64,224,224,64,3,1,1', { vgg16: 1 }],
  vgg_c3: ['conv', '64,112,112,128,3,1,1', { vgg16: 1 }],
  vgg_c4: ['conv', '128,112,112,128,3,1,1', { vgg16: 1 }],
  vgg_c5: ['conv', '128,56,56,256,3,1,1', { vgg16: 1 }],
  vgg_c6: ['conv', '256,56,56,256,3,1,1', { vgg16: 2 }],
  vgg_c8: ['conv', '256,28,28,512,3,1,1', { vgg16: 1 }],
  vgg_c9: ['conv', '512,28,28,512,3,1,1', { vgg16: 2 }],
  vgg_c11: ['conv', '512,14,14,512,3,1,1', { vgg16: 3 }],
  rn_stem: ['conv', '3,224,224,64,7,2,3', { resnet50: 1 }],
  rn_l1_a: ['conv', '64,56,56,64,1,1,0', { resnet50: 1 }],
  rn_l1_b: ['conv', '64,56,56,64,3,1,1', { resnet50: 3 }],
  rn_l1_c: ['conv', '64,56,56,256,1,1,0', { resnet50: 4 }],
  rn_l1_d: ['conv', '256,56,56,64,1,1,0', { resnet50: 2 }],
  rn_l2_a: ['conv', '256,56,56,128,1,1,0', { resnet50: 1 }],
  rn_l2_s: ['conv', '128,56,56,128,3,2,1', { resnet50: 1 }],
  rn_l2_b: ['conv', '128,28,28,128,3,1,1', { resnet50: 3 }],
  rn_l2_c: ['conv', '128,28,28,512,1,1,0', { resnet50: 4 }],
  rn_l2_d: ['conv', '512,28,28,128,1,1,0', { resnet50: 3 }],
  rn_l2_ds: ['conv', '256,56,56,512,1,2,0', { resnet50: 1 }],
  rn_l3_a: ['conv', '512,28,28,256,1,1,0', { resnet50: 1 }],
  rn_l3_s: ['conv', '256,28,28,256,3,2,1', { resnet50: 1 }],
  rn_l3_b: ['conv', '256,14,14,256,3,1,1', { resnet50: 5 }],
  rn_l3_c: ['conv', '256,14,14,1024,1,1,0', { resnet50: 6 }],
  rn_l3_d: ['conv', '1024,14,14,256,1,1,0', { resnet50: 5 }],
  rn_l3_ds: ['conv', '512,28,28,1024,1,2,0', { resnet50: 1 }],
  rn_l4_a: ['conv', '1024,14,14,512,1,1,0', { resnet50: 1 }],
  rn_l4_s: ['conv', '512,14,14,512,3,2,1', { resnet50: 1 }],
  rn_l4_b: ['conv', '512,7,7,512,3,1,1', { resnet50: 2 }],
  rn_l4_c: ['conv', '512,7,7,2048,1,1,0', { resnet50: 3 }],
  rn_l4_d: ['conv', '2048,7,7,512,1,1,0', { resnet50: 2 }],
  rn_l4_ds: ['conv', '1024,14,14,2048,1,2,0', { resnet50: 1 }],
  wh_qkv: ['matmul', '1500,384,384', { whisper: 16 }],
  wh_up: ['matmul', '1500,384,1536', { whisper: 4 }],
  wh_down: ['matmul', '1500,1536,384', { whisper: 4 }],
  vit_qkv: ['matmul', '197,768,2304', { vit_b16: 12 }],
  vit_up: ['matmul', '197,768,3072', { vit_b16: 12 }],
  vit_down: ['matmul', '197,3072,768', { vit_b16: 12 }],
  wh_qk: ['bmm', '6,1500,64,1500', { whisper: 4 }],
  wh_pv: ['bmm', '6,1500,1500,64', { whisper: 4 }],
  vit_qk: ['bmm', '12,197,64,197', { vit_b16: 12 }],
  vit_pv: ['bmm', '12,197,197,64', { vit_b16: 12 }],
  // VGG16's classifier at batch 1 (its first layer in the four parts the binding limit cuts it into).
  vgg_fc6: ['fc', '25088,1024', { vgg16: 4 }],
  vgg_fc7: ['fc', '4096,4096', { vgg16: 1 }],
  vgg_fc8: ['fc', '4096,1000', { vgg16: 1 }],
  // MobileNetV2's pointwise convolutions past its first stages: few rows, so few blocks.
  mn_e8: ['conv', '64,14,14,384,1,1,0', { mobilenet_v2: 4 }],
  mn_p8: ['conv', '384,14,14,64,1,1,0', { mobilenet_v2: 3 }],
  mn_p12: ['conv', '576,14,14,96,1,1,0', { mobilenet_v2: 2 }],
  mn_e15: ['conv', '160,7,7,960,1,1,0', { mobilenet_v2: 3 }],
  mn_p15: ['conv', '960,7,7,160,1,1,0', { mobilenet_v2: 2 }],
  mn_18: ['conv', '320,7,7,1280,1,1,0', { mobilenet_v2: 1 }],
};
// wm,wn,tm,tn,bk[,vec]: the most promising first (the budget may stop the sweep early).
const DEFAULT_TILES = ['default', '16,16,8,8,8,1', '16,16,8,8,16,1', '8,8,8,8,16,1', '16,16,4,4,16,1', '8,8,4,4,16,1', '16,8,8,8,16,1',
  '8,16,8,8,16,1', '16,16,8,4,16,1', '16,16,4,8,16,1', '16,16,8,8,8', '8,8,8,8,16', '16,16,4,4,16', '8,16,8,4,16,1', '16,8,4,8,16,1'];

function parseArgs(argv) {
  const o = { tiles: DEFAULT_TILES, only: Object.keys(OPS), repeat: 10, build: path.join(REPO, 'build'), dawn: path.join(HERE, 'node_modules', 'webgpu'),
    python: 'python3', work: '/tmp/webdnn-sweep', out: path.join(REPO, 'bench', 'results'), budget: 400 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--tiles') o.tiles = ['default', ...v().split(/\s+/).filter((t) => t && t !== 'default')];
    else if (a === '--only') o.only = v().split(',');
    else if (a === '--repeat') o.repeat = Number(v());
    else if (a === '--budget') o.budget = Number(v());
    else if (['--build', '--dawn', '--work', '--out'].includes(a)) o[a.slice(2)] = path.resolve(v());
    else if (a === '--python') o.python = v();
    else throw new Error(`unknown option '${a}'`);
  }
  return o;
}

const say = (s) => process.stderr.write(`${s}\n`);

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const { gpu, skip } = await openDawn(o.dawn, ['disable-dawn-features=timestamp_quantization']);
  const adapter = skip ? { skip } : await adapterInfo(gpu);
  if (adapter.skip && !process.env.SWEEP_ANY_ADAPTER) {
    console.log(`sweep.mjs: skipped: ${adapter.skip}`);
    return 0;
  }
  console.log(`adapter: ${JSON.stringify(adapter.info?.description ?? adapter.info)}`);
  const models = path.join(o.work, 'onnx');
  const specs = o.only.map((n) => `${OPS[n][0]}:${n}:${OPS[n][1]}`);
  const made = spawnSync(o.python, [path.join(HERE, 'ops.py'), models, ...specs], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`ops.py: ${made.stderr}`);
  const ops = made.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const { default: WebDNN } = await import(pathToFileURL(path.join(o.build, 'webdnn-js', 'webdnn.mjs')).href);

  const results = {};  // tiles -> name -> { us, diff } | { error }
  const reference = {};
  for (const tiles of o.tiles) {
    if ((performance.now() - started) / 1000 > o.budget) {
      say(`budget of ${o.budget} s spent: ${tiles} and after not measured`);
      break;
    }
    results[tiles] = {};
    for (const op of ops) {
      const dir = path.join(o.work, 'converted', `${op.name}-${tiles.replaceAll(',', '_')}`);
      const env = { ...process.env };
      delete env.WEBDNN_WEBGPU_TILES;
      delete env.WEBDNN_WEBGPU_GEMV_COLS;
      if (tiles.startsWith('gemv=')) env.WEBDNN_WEBGPU_GEMV_COLS = tiles.slice(5);
      else if (tiles !== 'default') env.WEBDNN_WEBGPU_TILES = tiles;
      const c = spawnSync(path.join(o.build, 'webdnn-convert'), [op.file, '-o', dir, '--backend', 'webgpu'], { env, encoding: 'utf8' });
      if (c.status !== 0) {
        results[tiles][op.name] = { error: (c.stderr || c.stdout).trim().split('\n').at(-1) };
        continue;
      }
      let runner;
      try {
        runner = await WebDNN.load(dir, { backendOrder: ['webgpu'] });
        op.inputs.forEach((shape, k) => {
          const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
          for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37 + k);
          runner.inputs[k].set(x);
        });
        for (let i = 0; i < 3; i++) await runner.run();
        const y = Array.from(runner.outputs[0].toActual());
        const prof = await runner.profile({ repeat: o.repeat });
        const us = prof.reduce((a, p) => a + p.ms, 0) * 1000;
        const ref = reference[op.name] ??= y;
        let diff = 0, scale = 0;
        for (let i = 0; i < y.length; i++) diff = Math.max(diff, Math.abs(y[i] - ref[i])), scale = Math.max(scale, Math.abs(ref[i]));
        results[tiles][op.name] = { us, rel: diff / (scale || 1), dispatches: prof.map((p) => `${p.type}:${p.workgroups.join('x')}:${(p.ms * 1000).toFixed(1)}`) };
      } catch (e) {
        results[tiles][op.name] = { error: String(e?.message ?? e).split('\n')[0] };
      } finally {
        runner?.dispose();
      }
    }
    say(`${tiles}: done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  report(o, ops, results);
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(path.join(o.out, 'sweep.json'), `${JSON.stringify({ adapter: adapter.info, ops, results }, null, 1)}\n`);
  return 0;
}

function report(o, ops, results) {
  const settings = Object.keys(results);
  const cell = (r, op) => (!r ? '-' : r.error ? 'ERR' : `${r.us.toFixed(0)}${r.rel > 1e-4 ? '!' : ''}`);
  const lines = [['op', 'GFLOP', ...settings].join('\t')];
  for (const op of ops) {
    lines.push([op.name, (op.flops / 1e9).toFixed(2), ...settings.map((t) => cell(results[t][op.name], op))].join('\t'));
  }
  const groups = [...new Set(ops.flatMap((op) => Object.keys(OPS[op.name][2])))];
  for (const g of groups) {
    const totals = settings.map((t) => ops.reduce((a, op) => a + (OPS[op.name][2][g] ?? 0) * (results[t][op.name]?.us ?? NaN), 0));
    lines.push([`${g} (weighted sum, us)`, '', ...totals.map((x) => x.toFixed(0))].join('\t'));
    // The best setting per op, for a per-shape choice: what that would sum to.
    const best = ops.reduce((a, op) => a + (OPS[op.name][2][g] ?? 0) * Math.min(...settings.map((t) => results[t][op.name]?.us ?? Infinity)), 0);
    lines.push([`${g} best per op`, '', best.toFixed(0)].join('\t'));
  }
  lines.push('', 'best per op (TFLOP/s):');
  for (const op of ops) {
    const ranked = settings.filter((t) => results[t][op.name]?.us).sort((a, b) => results[a][op.name].us - results[b][op.name].us);
    lines.push(`${op.name}\t${ranked.slice(0, 3).map((t) => `${t} ${(op.flops / results[t][op.name].us / 1e6).toFixed(1)}`).join('\t')}`);
  }
  const errors = settings.flatMap((t) => ops.filter((op) => results[t][op.name]?.error).map((op) => `${t} ${op.name}: ${results[t][op.name].error}`));
  if (errors.length) lines.push('', 'errors:', ...errors.slice(0, 20));
  console.log(lines.join('\n'));
}

main().then((code) => process.exit(code), (e) => {
  console.error(`sweep.mjs: ${e.stack ?? e}`);
  process.exit(2);
});
