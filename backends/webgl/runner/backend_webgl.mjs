// The WebGL backend, runtime side: a WebGL2 context (OffscreenCanvas where there is one), the
// descriptor's fragment shaders compiled at load, weights uploaded once into float textures, and
// a run = the draws in order, then readPixels of the outputs. See docs/descriptor.md ("The webgl
// descriptor") for the format and backends/webgl/generator/layout.h for the texture layouts.
//
// Render targets are RGBA32F with EXT_color_buffer_float. Without it the runner renders to
// RGBA16F (EXT_color_buffer_half_float) when the descriptor says the model's values fit half
// floats (a probe run at conversion: see half_float there), and otherwise declines, so that
// WebDNN.load falls back to the next backend. A context lost during load fails the load (the
// same fallback); one lost after load makes run() throw.
import { checkDescriptor, withWeights } from '../../../runtime/js/backend_wasm.mjs';
import { contentKey } from '../../../runtime/js/content_key.mjs';
import { join } from '../../../runtime/js/fetch.mjs';
import { Generator } from '../../../runtime/js/generator.mjs';
import { RefCache } from '../../../runtime/js/ref_cache.mjs';
import { oneAtATime } from '../../../runtime/js/serial.mjs';
import { sampleShapes, SymbolicRunner } from '../../../runtime/js/symbolic_runner.mjs';
import { arrayType, TensorView } from '../../../runtime/js/tensor.mjs';
import { validateWebGlDescriptor } from './validate.mjs';
import { ImageInput, texelAxes } from './webgl_image_input.mjs';

export function webglAvailable() {
  if (typeof WebGL2RenderingContext === 'undefined') return 'WebGL2 is not available in this environment';
  if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') return 'there is no canvas to draw with';
  return '';
}

const VERTEX_SHADER = `#version 300 es
void main() { gl_Position = vec4(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0, 0.0, 1.0); }
`;

function createContext() {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  const gl = canvas.getContext('webgl2', {
    alpha: false, depth: false, stencil: false, antialias: false, premultipliedAlpha: false,
    preserveDrawingBuffer: false, powerPreference: 'high-performance',
  });
  if (!gl) throw new Error('cannot create a WebGL2 context');
  return { canvas, gl };
}

// Whether element i (row-major) of `shape` sits at texel i / 4, component i % 4 in one layer.
function isFlat(shape, layout) {
  if (layout.layers !== 1) return false;
  const longer = shape.map((d, a) => (d > 1 ? a : -1)).filter((a) => a >= 0);
  if (!longer.length) return true;
  const last = longer[longer.length - 1];
  if (layout.packed !== last || (longer.length > 1 && shape[last] % 4)) return false;
  let expect = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    if (shape[a] === 1) continue;
    if (layout.strides[a] !== expect) return false;
    expect *= a === last ? Math.ceil(shape[a] / 4) : shape[a];
  }
  return true;
}

// Calls visit(i, index) for every element i (row-major) of `shape` with its index in the texture
// data of `texture` ({width, height, layers}) laid out by `layout`, layer-major as
// texSubImage3D and readPixels per layer see it.
function forEachPlace(shape, layout, texture, visit) {
  const rank = shape.length;
  const n = shape.reduce((a, b) => a * b, 1);
  if (!n) return;
  const { strides, packed } = layout;
  const L = layout.layers, W = texture.width, H = texture.height;
  const place = (t, comp) => {
    const layer = t % L, q = (t - layer) / L;
    const x = q % W, y = (q - x) / W;
    return ((layer * H + y) * W + x) * 4 + comp;
  };
  if (rank === 0) {
    visit(0, place(0, 0));
    return;
  }
  const last = rank - 1, inner = shape[last], s = strides[last];
  const coords = new Array(rank).fill(0);
  for (let i = 0; i < n; i += inner) {
    let base = 0, comp = 0;
    for (let a = 0; a < last; a++) {
      base += (a === packed ? coords[a] >> 2 : coords[a]) * strides[a];
      if (a === packed) comp = coords[a] & 3;
    }
    if (packed === last) for (let c = 0; c < inner; c++) visit(i + c, place(base + (c >> 2) * s, c & 3));
    else for (let c = 0; c < inner; c++) visit(i + c, place(base + c * s, comp));
    for (let a = last - 1; a >= 0; a--) {
      if (++coords[a] < shape[a]) break;
      coords[a] = 0;
    }
  }
}

// Writes the values of constant `v` into `tex`, texture `t` of the descriptor, as its layout says.
function uploadConstant(gl, tex, t, v, values) {
  const n = v.shape.reduce((a, b) => a * b, 1);
  gl.bindTexture(gl.TEXTURE_2D_ARRAY, tex);
  if (isFlat(v.shape, v.layout)) {
    // Already in texel order: whole rows straight from the weights, the rest padded.
    const rowFloats = t.width * 4, full = Math.min(t.height, Math.floor(n / rowFloats));
    if (full) gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, t.width, full, 1, gl.RGBA, gl.FLOAT, values);
    if (full < t.height) {
      const rest = new Float32Array(rowFloats);
      rest.set(values.subarray(full * rowFloats));
      gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, full, 0, t.width, 1, 1, gl.RGBA, gl.FLOAT, rest);
    }
  } else {
    const data = new Float32Array(t.width * t.height * t.layers * 4);
    forEachPlace(v.shape, v.layout, t, (i, at) => { data[at] = values[i]; });
    gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, t.width, t.height, t.layers, gl.RGBA, gl.FLOAT, data);
  }
}

const lostError = (when) => new Error(`the WebGL context was lost ${when}; load the model again`);

class WebGlRunner {
  constructor(state) {
    Object.assign(this, state);
    this.backendName = 'webgl';
    this.numThreads = 1;
    this.run = oneAtATime(() => this.runOnce());
    // An input set from an image (setImage) is drawn from it at each run (webgl_image_input.mjs).
    const port = (entry, role) => {
      const v = this.descriptor.variables[entry.variable];
      const size = v.shape.reduce((a, b) => a * b, 1);
      const p = { host: { values: new (arrayType(v.dtype))(size) }, variable: v, fromImage: false };
      const axes = role === 'input' && v.texture >= 0 ? texelAxes(v.shape, v.layout) : null;
      const writeImage = axes && ((source, layout) => {
        this.live();
        p.image ??= new ImageInput(this.gl, this.textures[v.texture], this.descriptor.textures[v.texture], axes);
        p.image.set(source, layout);
        p.fromImage = true;
      });
      p.view = new TensorView({ role, name: entry.name, dtype: v.dtype, shape: v.shape, writeImage: writeImage || undefined,
        view: () => p.host.values,
        write: (values) => {
          p.host.values.set(values);
          p.fromImage = false;
        } });
      return p;
    };
    this.inputPorts = this.descriptor.inputs.map((e) => port(e, 'input'));
    this.outputPorts = this.descriptor.outputs.map((e) => port(e, 'output'));
    this.inputs = this.inputPorts.map((p) => p.view);
    this.outputs = this.outputPorts.map((p) => p.view);
  }

  live() {
    if (!this.gl) throw new Error('this runner was disposed');
    if (this.lost || this.gl.isContextLost()) throw lostError('after the model was loaded');
    return this.gl;
  }

  upload(port) {
    const { gl } = this;
    const v = port.variable, tex = this.descriptor.textures[v.texture];
    if (v.texture < 0) return;
    if (port.fromImage) {
      port.image.draw();
      return;
    }
    const values = port.host.values;
    // The staging array keeps its zero padding from one run to the next.
    port.staging ??= new Float32Array(tex.width * tex.height * tex.layers * 4);
    const data = port.staging;
    const source = values instanceof BigInt64Array ? Float64Array.from(values, Number) : values;
    forEachPlace(v.shape, v.layout, tex, (i, at) => { data[at] = source[i]; });
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, this.textures[v.texture]);
    gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, tex.width, tex.height, tex.layers, gl.RGBA, gl.FLOAT, data);
  }

  draw(step) {
    const { gl } = this;
    gl.useProgram(step.program);
    step.textures.forEach((t, k) => {
      gl.activeTexture(gl.TEXTURE0 + k);
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, t);
    });
    for (const [location, x, y] of step.uniforms) gl.uniform2f(location, x, y);
    gl.bindFramebuffer(gl.FRAMEBUFFER, step.framebuffer);
    gl.viewport(0, 0, step.width, step.rows);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }

  // Starts reading an output back: readPixels of each layer into a pixel buffer, copied once the
  // draws are done, without stalling the page. Returns what finishDownload() needs.
  startDownload(port) {
    const { gl } = this;
    const v = port.variable;
    if (port.constant || v.texture < 0) return null;
    const tex = this.descriptor.textures[v.texture];
    const rows = Math.min(tex.height, Math.ceil(Math.ceil(v.layout.texels / v.layout.layers) / tex.width));
    const layerBytes = tex.width * tex.height * 16;
    port.pixels ??= gl.createBuffer();
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, port.pixels);
    // A fresh store each run: rewriting the one read back last time makes Chromium drop its
    // readback copy with a console warning at every run after the first.
    gl.bufferData(gl.PIXEL_PACK_BUFFER, layerBytes * tex.layers, gl.STREAM_READ);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.readFramebuffer);
    for (let layer = 0; layer < tex.layers; layer++) {
      gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, this.textures[v.texture], 0, layer);
      gl.readBuffer(gl.COLOR_ATTACHMENT0);
      gl.readPixels(0, 0, tex.width, rows, gl.RGBA, gl.FLOAT, layer * layerBytes);
    }
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    return tex;
  }

  // The values of an output, from its pixel buffer (or kept from the weights, for a constant).
  finishDownload(port, tex) {
    const { gl } = this;
    const v = port.variable, host = port.host.values;
    let values;
    if (port.constant) {
      values = port.constant;
    } else if (!tex) {
      return;
    } else {
      const data = new Float32Array(tex.width * tex.height * tex.layers * 4);
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, port.pixels);
      gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, data);
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
      values = new Float32Array(host.length);
      forEachPlace(v.shape, v.layout, tex, (i, at) => { values[i] = data[at]; });
    }
    if (host instanceof BigInt64Array) host.set(Array.from(values, (x) => BigInt(Math.round(x))));
    else if (host instanceof Float32Array) host.set(values);
    else if (v.dtype === 'bool') host.set(Array.from(values, (x) => (x !== 0 ? 1 : 0)));
    else host.set(Array.from(values, Math.round));
  }

  // Resolves once the GPU has done everything issued so far (polling a fence), so that the page
  // stays responsive while a run computes.
  async idle() {
    const { gl } = this;
    const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    gl.flush();
    try {
      while (gl.clientWaitSync(sync, 0, 0) === gl.TIMEOUT_EXPIRED) {
        if (gl.isContextLost()) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      gl.deleteSync(sync);
    }
  }

  // run() queues these (see serial.mjs).
  async runOnce() {
    const gl = this.live();
    for (const p of this.inputPorts) this.upload(p);
    for (const step of this.steps) this.draw(step);
    const pending = this.outputPorts.map((p) => this.startDownload(p));
    await this.idle();
    if (!this.gl) throw new Error('this runner was disposed during the run');
    if (this.lost || gl.isContextLost()) throw lostError('during the run');
    this.outputPorts.forEach((p, k) => this.finishDownload(p, pending[k]));
    const error = gl.getError();
    if (error) throw new Error(`WebGL error 0x${error.toString(16)} during the run`);
  }

  // Runs once, timing each draw (waiting for it to finish): [{op, kernel, ms}], slowest first.
  profile() {
    const gl = this.live();
    for (const p of this.inputPorts) this.upload(p);
    const pixel = new Float32Array(4);
    const times = this.steps.map((step) => {
      const start = performance.now();
      this.draw(step);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.FLOAT, pixel);
      return { op: step.op, kernel: `program ${step.index}`, ms: performance.now() - start };
    });
    return times.sort((a, b) => b.ms - a.ms);
  }

  dispose() {
    const { gl } = this;
    if (!gl) return;
    this.gl = null;
    if (!gl.isContextLost()) {
      for (const t of this.ownTextures ?? this.textures) gl.deleteTexture(t);
      if (!this.shared) for (const p of this.programs) gl.deleteProgram(p);
      for (const f of this.framebuffers.values()) gl.deleteFramebuffer(f);
      gl.deleteFramebuffer(this.readFramebuffer);
      for (const p of this.outputPorts) if (p.pixels) gl.deleteBuffer(p.pixels);
      for (const p of this.inputPorts) p.image?.dispose();
    }
    this.releasePrograms?.();  // a shared context's cache deletes those no other shape uses
    this.releaseWeights?.();  // likewise the weight textures
    // Browsers keep only a few contexts alive: give this one back now (a shared one, its owner).
    if (!this.shared) gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

// The descriptor variants the manifest lists ({descriptor, max_texture_size}), and the one to
// use under `limit`: the largest that fits.
function pickVariant(entry, limit) {
  const variants = entry.variants ?? [{ descriptor: entry.descriptor, max_texture_size: 4096 }];
  const fitting = variants.filter((v) => v.max_texture_size <= limit);
  if (!fitting.length) {
    throw new Error(`textures here are at most ${limit} texels a side, but the model was converted for ` +
      `${Math.min(...variants.map((v) => v.max_texture_size))} or more`);
  }
  return fitting.reduce((a, b) => (b.max_texture_size > a.max_texture_size ? b : a));
}

// `cache` (a RefCache, source -> program): programs linked before on this context, kept for its
// other descriptors (the shapes of a model with free dimensions share most of their programs).
// Returns { finish, release }: finish() waits for the links and gives the programs; release()
// gives back to the cache what this descriptor took from it (at its runner's dispose).
function compile(gl, programs, where, cache = null) {
  const vs = gl.createShader(gl.VERTEX_SHADER);
  gl.shaderSource(vs, VERTEX_SHADER);
  gl.compileShader(vs);
  const held = cache?.holder();
  const take = (source, p) => held.take(source, () => p);
  const compiled = programs.map((source) => {
    const kept = cache?.get(source);
    if (kept) return { p: take(source, kept) };
    const fs = gl.createShader(gl.FRAGMENT_SHADER);
    gl.shaderSource(fs, source);
    gl.compileShader(fs);
    const p = gl.createProgram();
    gl.attachShader(p, vs);
    gl.attachShader(p, fs);
    gl.linkProgram(p);
    return { p, fs };
  });
  // Statuses are asked only now, so that drivers compiling in parallel can.
  const finish = () => compiled.map(({ p, fs }, k) => {
    if (!fs) return p;
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) {
      if (gl.isContextLost()) throw lostError('while loading');
      const log = gl.getShaderInfoLog(fs) || gl.getProgramInfoLog(p);
      throw new Error(`WebGL program ${k} of ${where} does not compile: ${log}`);
    }
    gl.deleteShader(fs);
    if (!cache) return p;
    const kept = take(programs[k], p);
    if (kept !== p) gl.deleteProgram(p);  // the same source twice: one program serves both
    return kept;
  });
  return { finish, release: () => held?.release() };
}

// `generated` ({descriptor, weights}, with `context`: {canvas, gl, programs, weights}): a descriptor
// made in the page for one shape of a model with free dimensions (loadSymbolic), on a context
// shared by the model's shapes, whose programs are linked once for all of them and whose weight
// textures are too (shareTexture below).
export async function loadWebGlRunner({ dir, entry, options, files, generated, context }) {
  const { canvas, gl } = context ?? createContext();
  let lost = false;
  canvas.addEventListener?.('webglcontextlost', (e) => {
    e.preventDefault?.();
    lost = true;
  });
  const check = () => {
    if (lost || gl.isContextLost()) throw lostError('while loading');
  };
  let compiling = null;
  let releaseWeights = null;
  try {
    check();
    const maxSize = Math.min(gl.getParameter(gl.MAX_TEXTURE_SIZE), options.webglMaxTextureSize ?? Infinity);
    const variant = generated ? null : pickVariant(entry, maxSize);
    const where = generated ? `generated for shapes ${JSON.stringify(generated.shapes)}` : `'${join(dir, variant.descriptor)}'`;
    const descriptor = generated ? generated.descriptor : await files.json(variant.descriptor);
    checkDescriptor(descriptor, `descriptor ${where}`);
    if (!generated && Array.isArray(descriptor.operators)) {
      const programs = new RefCache((p) => { if (!gl.isContextLost()) gl.deleteProgram(p); });
      const weights = new RefCache((w) => { if (!gl.isContextLost()) gl.deleteTexture(w.texture); });
      return await loadSymbolic({ dir, entry, options, files, descriptor, where, context: { canvas, gl, programs, weights }, maxSize });
    }
    validateWebGlDescriptor(descriptor, `descriptor ${where}`);
    if (descriptor.max_texture_size > maxSize) {
      throw new Error(`descriptor ${where} is made for textures of ${descriptor.max_texture_size} texels a side; ` +
        `this context has at most ${maxSize}`);
    }
    check();

    // Render targets: float32, else half floats where the model's values fit them.
    const wanted = options.webglRenderTarget ?? 'auto';
    if (!['auto', 'float16'].includes(wanted)) throw new Error(`webglRenderTarget '${wanted}' is not 'auto' or 'float16'`);
    const float32 = wanted === 'auto' && !!gl.getExtension('EXT_color_buffer_float');
    let internal = gl.RGBA32F;
    if (!float32) {
      const half = gl.getExtension('EXT_color_buffer_half_float') || gl.getExtension('EXT_color_buffer_float');
      if (!half) throw new Error('this WebGL2 context renders neither to float nor to half-float textures');
      const fit = descriptor.half_float ?? { fits: false };
      if (!fit.fits) {
        throw new Error('only half-float render targets are available here, and the model\'s values do not fit half ' +
          `floats (up to ${fit.probe_max_abs} on a probe input)`);
      }
      internal = gl.RGBA16F;
    }
    const drawBuffers = Math.min(gl.getParameter(gl.MAX_DRAW_BUFFERS), gl.getParameter(gl.MAX_COLOR_ATTACHMENTS));
    if (drawBuffers < descriptor.max_draw_buffers) {
      throw new Error(`the model draws to ${descriptor.max_draw_buffers} render targets at once; this context has ${drawBuffers}`);
    }
    const maxLayers = gl.getParameter(gl.MAX_ARRAY_TEXTURE_LAYERS);
    for (const t of descriptor.textures) {
      if (t.layers > maxLayers) throw new Error(`a texture needs ${t.layers} layers; this context has ${maxLayers}`);
    }

    compiling = compile(gl, descriptor.programs, where, context?.programs);
    const makeTexture = (t) => {
      const tex = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, tex);
      gl.texStorage3D(gl.TEXTURE_2D_ARRAY, 1, t.constant !== undefined ? gl.RGBA32F : internal, t.width, t.height, t.layers);
      gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      return tex;
    };
    // With a shared context, the weights' textures are made (or found) once their bytes are here.
    const sharing = !!context?.weights;
    const textures = descriptor.textures.map((t) => (sharing && t.constant !== undefined ? null : makeTexture(t)));
    const ownTextures = textures.filter((t) => t);
    // Found by the constant's bytes and how they lie in the texture, never by a name; made and
    // written only when no kept shape of the model has them (content_key.mjs).
    const held = sharing ? context.weights.holder() : null;  // {texture, bytes} by key
    let uploaded = 0;
    const shareTexture = (t, v, values) => {
      const key = contentKey(new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        `texture:${t.width}x${t.height}x${t.layers}:${JSON.stringify(v.shape)}:${JSON.stringify(v.layout)}`);
      const kept = held.take(key, () => {
        const texture = makeTexture(t);
        uploadConstant(gl, texture, t, v, values);
        uploaded += t.width * t.height * t.layers * 16;
        return { texture, bytes: t.width * t.height * t.layers * 16 };
      });
      return kept.texture;
    };
    releaseWeights = () => held?.release();
    const constantOutputs = new Map();
    const useWeights = generated ? (use) => use(generated.weights) : (use) => withWeights({ files, descriptor, where, options }, use);
    await useWeights((bytes) => {
      check();
      descriptor.textures.forEach((t, k) => {
        if (t.constant === undefined) return;
        const v = descriptor.variables[t.constant];
        const n = v.shape.reduce((a, b) => a * b, 1);
        const values = new Float32Array(bytes.buffer, bytes.byteOffset + v.offset, n);
        if (descriptor.outputs.some((o) => o.variable === t.constant)) constantOutputs.set(t.constant, values.slice());
        if (sharing) textures[k] = shareTexture(t, v, values);
        else uploadConstant(gl, textures[k], t, v, values);
      });
    });
    check();
    files?.throwIfAborted();
    const programs = compiling.finish();
    check();

    // One framebuffer per output texture, its layers the draw buffers.
    const framebuffers = new Map();
    const framebufferOf = (texture) => {
      if (framebuffers.has(texture)) return framebuffers.get(texture);
      const fb = gl.createFramebuffer();
      gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
      const { layers } = descriptor.textures[texture];
      const buffers = [];
      for (let l = 0; l < layers; l++) {
        gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0 + l, textures[texture], 0, l);
        buffers.push(gl.COLOR_ATTACHMENT0 + l);
      }
      gl.drawBuffers(buffers);
      const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
      if (status !== gl.FRAMEBUFFER_COMPLETE) {
        check();
        throw new Error(`cannot render to ${internal === gl.RGBA16F ? 'half-float' : 'float'} textures here (framebuffer status 0x${status.toString(16)})`);
      }
      framebuffers.set(texture, fb);
      return fb;
    };
    const uniformsSet = new Set();
    const steps = descriptor.draws.map((d) => {
      const program = programs[d.program];
      gl.useProgram(program);
      const inputTextures = d.inputs.map((v) => descriptor.variables[v].texture);
      if (!uniformsSet.has(d.program)) {
        inputTextures.forEach((_, k) => gl.uniform1i(gl.getUniformLocation(program, `X${k}`), k));
        uniformsSet.add(d.program);
      }
      const out = descriptor.variables[d.output];
      const texture = descriptor.textures[out.texture];
      return {
        op: d.op, index: d.program, program,
        textures: inputTextures.map((t) => textures[t]),
        uniforms: inputTextures.map((t, k) => [gl.getUniformLocation(program, `X${k}_inv`),
          1 / descriptor.textures[t].width, 1 / descriptor.textures[t].height]).filter(([location]) => location),
        framebuffer: framebufferOf(out.texture),
        width: texture.width,
        rows: Math.max(1, Math.ceil(Math.ceil(out.layout.texels / out.layout.layers) / texture.width)),
      };
    });
    const readFramebuffer = gl.createFramebuffer();
    check();
    const error = gl.getError();
    if (error) throw new Error(`WebGL error 0x${error.toString(16)} while loading`);
    const runner = new WebGlRunner({ gl, canvas, shared: !!context, descriptor, textures, programs, framebuffers, readFramebuffer, steps,
      maxTextureSize: descriptor.max_texture_size, renderTarget: internal === gl.RGBA16F ? 'float16' : 'float32' });
    runner.outputPorts.forEach((p, k) => { p.constant = constantOutputs.get(descriptor.outputs[k].variable); });
    runner.releasePrograms = compiling.release;
    if (sharing) {
      runner.ownTextures = ownTextures;
      runner.releaseWeights = releaseWeights;
      runner.uploadedWeightBytes = uploaded;  // this shape's own
    }
    canvas.addEventListener?.('webglcontextlost', () => { runner.lost = true; });
    runner.lost = lost;
    return runner;
  } catch (e) {
    compiling?.release();
    releaseWeights?.();
    if (!context) gl.getExtension('WEBGL_lose_context')?.loseContext();
    throw e;
  }
}

// A model with free dimensions: its symbolic graph, specialized in the page at each new input
// signature (runtime/js/symbolic_runner.mjs) for this context's texture size, every shape on this
// one context. The sample shape's descriptor is generated now (a generator that cannot start fails
// the load); its programs are made at the first run at that shape. The shapes share their weight
// textures: a new shape uploads only the constants no kept shape has, and each texture is deleted
// when no kept shape uses it.
async function loadSymbolic({ dir, entry, options, files, descriptor, where, context, maxSize }) {
  const size = [16384, 4096, 2048].find((s) => s <= maxSize);
  if (!size) throw new Error(`textures here are at most ${maxSize} texels a side; the model needs 2048`);
  // Declined now rather than at the first run, as a converted model is (see loadWebGlRunner).
  const { gl: probe } = context;
  const float32 = (options.webglRenderTarget ?? 'auto') === 'auto' && !!probe.getExtension('EXT_color_buffer_float');
  const fit = descriptor.generate?.half_float ?? { fits: false };
  if (!float32 && !fit.fits) {
    throw new Error('only half-float render targets are available here, and the model\'s values do not fit half ' +
      `floats (up to ${fit.probe_max_abs} on a probe input)`);
  }
  let generator = null;
  await withWeights({ files, descriptor, where, options }, async (bytes) => { generator = await Generator.create(descriptor, bytes); });
  const { gl } = context;
  const symbolic = new SymbolicRunner({
    backendName: 'webgl', descriptor, generator, generateOptions: { max_texture_size: size }, sampleShapes: sampleShapes(descriptor),
    makeRunner: (d, weights) => loadWebGlRunner({ dir, entry, options, files, context,
      generated: { descriptor: d, weights, shapes: d.inputs.map((e) => d.variables[e.variable].shape) } }),
    release: () => {
      context.programs.clear();
      context.weights.clear();
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    },
  });
  try {
    symbolic.prepare(symbolic.inputs.map((t) => t.shape));
    symbolic.maxTextureSize = size;
    // Development aids: what the shapes kept share.
    symbolic.keptShaders = () => context.programs.size;
    symbolic.gpuWeightBytes = () => context.weights.keptBytes();
    return symbolic;
  } catch (e) {
    symbolic.dispose();
    throw e;
  }
}
