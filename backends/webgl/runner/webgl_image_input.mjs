// Images into a WebGL runner's input through a texture: set() uploads the picture (canvas, video,
// ImageBitmap, VideoFrame, ...) into an RGBA8 texture as the browser decoded it, and at each run
// draw() writes the input's texture from it in one pass per layer: each texel finds the elements
// it holds in the input's layout (backends/webgl/generator/layout.h), samples the picture there
// (bilinear), picks the channel and normalizes, (pixel - bias) / scale with pixels in 0..255.

const FRAGMENT_SHADER = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform sampler2D source;
uniform int layer, layers, textureWidth, packed;
uniform ivec4 strides, extents, dims;  // per axis: texel stride, extent in texels, size
uniform ivec3 axes;                    // the channel, row and column axes
uniform ivec2 size;                    // the picture's size in the input
uniform ivec4 order;                   // source channel (0 r, 1 g, 2 b, 3 grey) per channel
uniform vec4 bias, scale;
out vec4 result;

float value(ivec4 c) {
  vec2 uv = (vec2(c[axes.z], c[axes.y]) + 0.5) / vec2(size);
  vec3 rgb = texture(source, uv).rgb * 255.0;
  vec4 values = vec4(rgb, dot(rgb, vec3(0.299, 0.587, 0.114)));
  int k = c[axes.x];
  return (values[order[k]] - bias[k]) / scale[k];
}

void main() {
  ivec2 xy = ivec2(gl_FragCoord.xy);
  int t = (xy.y * textureWidth + xy.x) * layers + layer;
  ivec4 at;
  for (int a = 0; a < 4; a++) at[a] = strides[a] > 0 ? (t / strides[a]) % extents[a] : 0;
  vec4 texel = vec4(0.0);
  for (int k = 0; k < 4; k++) {
    ivec4 c = at;
    if (packed >= 0) c[packed] = at[packed] * 4 + k; else if (k > 0) break;
    if (any(greaterThanEqual(c, dims))) continue;
    texel[k] = value(c);
  }
  result = texel;
}
`;

const VERTEX_SHADER = `#version 300 es
void main() { gl_Position = vec4(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0, 0.0, 1.0); }
`;

const SOURCE_CHANNELS = { RGB: [0, 1, 2], BGR: [2, 1, 0], GREY: [3] };

// The layout as 4 axes (leading size-1 axes added), or null when its texel strides are not a
// dense mixed radix (each texel index then has no single element position to find).
export function texelAxes(shape, layout) {
  const pad = 4 - shape.length;
  if (pad < 0) return null;
  const dims = [...Array(pad).fill(1), ...shape];
  const packed = layout.packed >= 0 ? layout.packed + pad : -1;
  const extents = dims.map((d, a) => (a === packed ? Math.ceil(d / 4) : d));
  const strides = [...Array(pad).fill(0), ...layout.strides].map((s, a) => (extents[a] > 1 ? s : 0));
  let expect = 1;
  for (const a of [0, 1, 2, 3].filter((i) => strides[i] > 0).sort((i, j) => strides[i] - strides[j])) {
    if (strides[a] !== expect) return null;
    expect *= extents[a];
  }
  return { dims, packed, extents, strides, pad };
}

export class ImageInput {
  // `texture`: the input's WebGL texture, `size` its {width, height, layers}; `axes` from texelAxes.
  constructor(gl, texture, size, axes) {
    Object.assign(this, { gl, texture, size, axes });
    const compile = (type, text) => {
      const s = gl.createShader(type);
      gl.shaderSource(s, text);
      gl.compileShader(s);
      return s;
    };
    const vs = compile(gl.VERTEX_SHADER, VERTEX_SHADER), fs = compile(gl.FRAGMENT_SHADER, FRAGMENT_SHADER);
    this.program = gl.createProgram();
    gl.attachShader(this.program, vs);
    gl.attachShader(this.program, fs);
    gl.linkProgram(this.program);
    if (!gl.getProgramParameter(this.program, gl.LINK_STATUS) && !gl.isContextLost()) {
      throw new Error(`the image input program does not compile: ${gl.getShaderInfoLog(fs) || gl.getProgramInfoLog(this.program)}`);
    }
    gl.deleteShader(vs);
    gl.deleteShader(fs);
    this.source = gl.createTexture();
    this.framebuffer = gl.createFramebuffer();
  }

  // Uploads `source`, to be drawn into the input as `layout` ({width, height, channels, order,
  // color, bias, scale}) says at the next runs.
  set(source, layout) {
    const { gl } = this;
    gl.bindTexture(gl.TEXTURE_2D, this.source);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, source);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.layout = layout;
  }

  // Writes the input's texture from the picture (once per run, since the texture may be shared).
  draw() {
    const { gl, program, axes, size, layout } = this;
    gl.useProgram(program);
    const u = (name) => gl.getUniformLocation(program, name);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.source);
    gl.uniform1i(u('source'), 0);
    gl.uniform1i(u('layers'), size.layers);
    gl.uniform1i(u('textureWidth'), size.width);
    gl.uniform1i(u('packed'), axes.packed);
    gl.uniform4iv(u('strides'), axes.strides);
    gl.uniform4iv(u('extents'), axes.extents);
    gl.uniform4iv(u('dims'), axes.dims);
    const [c, h, w] = layout.order === 'CHW' ? [1, 2, 3] : [3, 1, 2];
    gl.uniform3i(u('axes'), c, h, w);
    gl.uniform2i(u('size'), layout.width, layout.height);
    gl.uniform4iv(u('order'), [...SOURCE_CHANNELS[layout.color], 0, 0, 0].slice(0, 4));
    gl.uniform4fv(u('bias'), [...layout.bias, 0, 0, 0].slice(0, 4));
    gl.uniform4fv(u('scale'), [...layout.scale, 1, 1, 1].slice(0, 4));
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.drawBuffers([gl.COLOR_ATTACHMENT0]);
    gl.viewport(0, 0, size.width, size.height);
    for (let l = 0; l < size.layers; l++) {
      gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, this.texture, 0, l);
      gl.uniform1i(u('layer'), l);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
    }
  }

  dispose() {
    const { gl } = this;
    gl.deleteProgram(this.program);
    gl.deleteTexture(this.source);
    gl.deleteFramebuffer(this.framebuffer);
  }
}
