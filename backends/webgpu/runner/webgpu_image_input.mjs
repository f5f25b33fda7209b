// Images into a WebGPU runner's input without a trip through the CPU: the picture goes to a
// texture (a video or VideoFrame imported as an external texture, anything else copied with
// copyExternalImageToTexture) and one compute shader resizes it (bilinear), picks and orders the
// channels and normalizes each value, (pixel - bias) / scale with pixels in 0..255, writing f32
// values in the input's row-major layout into a buffer of the input's own.
// Adapters that run on the CPU (SwiftShader) lose the device when given a video frame (measured
// with Chromium 156, both importExternalTexture and copyExternalImageToTexture): there a frame is
// drawn on a 2D canvas first, which costs nothing more where everything is on the CPU anyway.

// `read_source` reads the source at uv in 0..1 as RGBA in 0..1: a texture_2d or a texture_external.
const shader = (external) => `
struct Params {
  width: u32, height: u32, channels: u32, chw: u32,
  order: vec4u,   // source channel (0 r, 1 g, 2 b, 3 grey) of each destination channel
  bias: vec4f,
  scale: vec4f,
}
@group(0) @binding(0) var source: ${external ? 'texture_external' : 'texture_2d<f32>'};
@group(0) @binding(1) var bilinear: sampler;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

fn read_source(uv: vec2f) -> vec4f {
  return ${external ? 'textureSampleBaseClampToEdge(source, bilinear, uv)' : 'textureSampleLevel(source, bilinear, uv, 0.0)'};
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= p.width || id.y >= p.height) { return; }
  let rgb = read_source((vec2f(id.xy) + 0.5) / vec2f(f32(p.width), f32(p.height))).rgb * 255.0;
  let values = vec4f(rgb, dot(rgb, vec3f(0.299, 0.587, 0.114)));
  let pixel = id.y * p.width + id.x;
  for (var c = 0u; c < p.channels; c++) {
    let v = (values[p.order[c]] - p.bias[c]) / p.scale[c];
    if (p.chw == 1u) { dst[c * p.width * p.height + pixel] = v; } else { dst[pixel * p.channels + c] = v; }
  }
}
`;

const SOURCE_CHANNELS = { RGB: [0, 1, 2], BGR: [2, 1, 0], GREY: [3] };

const isExternal = (source) => (typeof HTMLVideoElement === 'function' && source instanceof HTMLVideoElement) ||
  (typeof VideoFrame === 'function' && source instanceof VideoFrame);

function sourceSize(source) {
  const width = source.displayWidth ?? source.videoWidth ?? source.naturalWidth ?? source.width;
  const height = source.displayHeight ?? source.videoHeight ?? source.naturalHeight ?? source.height;
  if (!width || !height) throw new Error('the image has no size yet (a video not playing, an image not loaded?)');
  return { width, height };
}

// Per device: the two pipelines, made when first needed.
const pipelines = new WeakMap();

function pipeline(device, external) {
  if (!pipelines.has(device)) pipelines.set(device, {});
  const made = pipelines.get(device);
  made[external] ??= device.createComputePipeline({
    layout: 'auto', compute: { module: device.createShaderModule({ code: shader(external) }), entryPoint: 'main' } });
  return made[external];
}

export class ImageInput {
  // `bytes`: the input's size in bytes (f32 values).
  constructor(device, bytes, { videoThroughCanvas = false } = {}) {
    this.device = device;
    this.videoThroughCanvas = videoThroughCanvas;
    this.buffer = device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    this.params = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.sampler = device.createSampler({ magFilter: 'linear', minFilter: 'linear' });
    this.texture = null;
  }

  // Writes `source` into this.buffer as `layout` says ({width, height, channels, order, color,
  // bias, scale}, from TensorView's imageLayout), now: a video frame is only valid in this task.
  write(source, layout) {
    const { device } = this;
    if (this.videoThroughCanvas && isExternal(source)) source = this.drawn(source);
    const external = isExternal(source);
    let resource;
    if (external) {
      resource = device.importExternalTexture({ source });
    } else {
      const { width, height } = sourceSize(source);
      if (this.texture?.width !== width || this.texture?.height !== height) {
        this.texture?.destroy();
        this.texture = device.createTexture({ size: [width, height], format: 'rgba8unorm',
          usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT });
      }
      device.queue.copyExternalImageToTexture({ source }, { texture: this.texture }, [width, height]);
      resource = this.texture.createView();
    }
    const params = new ArrayBuffer(64);
    const u32 = new Uint32Array(params), f32 = new Float32Array(params);
    u32.set([layout.width, layout.height, layout.channels, layout.order === 'CHW' ? 1 : 0]);
    u32.set(SOURCE_CHANNELS[layout.color], 4);
    f32.set(layout.bias, 8);
    f32.set(layout.scale, 12);
    device.queue.writeBuffer(this.params, 0, params);
    const pipe = pipeline(device, external);
    const group = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [
      { binding: 0, resource }, { binding: 1, resource: this.sampler },
      { binding: 2, resource: { buffer: this.buffer } }, { binding: 3, resource: { buffer: this.params } }] });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(layout.width / 8), Math.ceil(layout.height / 8));
    pass.end();
    device.queue.submit([encoder.finish()]);
  }

  // `source` drawn on a 2D canvas of its size.
  drawn(source) {
    const { width, height } = sourceSize(source);
    if (this.canvas?.width !== width || this.canvas?.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
      this.context = this.canvas.getContext('2d');
    }
    this.context.drawImage(source, 0, 0, width, height);
    return this.canvas;
  }

  destroy() {
    this.buffer.destroy();
    this.params.destroy();
    this.texture?.destroy();
  }
}
