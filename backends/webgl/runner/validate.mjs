// Checks a webgl graph descriptor (docs/descriptor.md, "The webgl descriptor") before the runner
// uses any of it, so that a corrupt download or a hostile server gets an error naming the texture,
// variable or draw and its field, never a frozen tab, a texture the size of the GPU's memory or
// reads and writes outside the runner's arrays. Plain JavaScript, no GL: every size is checked
// against the limits the descriptor states (its max_texture_size, its max_draw_buffers), and the
// runner checks those against the context.

// WebGL2's guarantees: layers of an array texture, texture units of a fragment shader.
const MAX_LAYERS = 256;
const MAX_INPUTS = 16;
// No GPU has textures wider than this (WebGL2 guarantees 2048; large desktop GPUs 32768).
const MAX_TEXTURE_SIZE = 65536;
const DTYPES = ['float32', 'int64', 'int32', 'bool', 'uint8', 'int8'];

const show = (value) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const isPow2 = (n) => n > 0 && (n & (n - 1)) === 0;

// Throws unless descriptor `d` is safe to run; `where` names it in messages.
export function validateWebGlDescriptor(d, where = 'the webgl descriptor') {
  const fail = (what, message) => {
    throw new Error(`${where}: ${what}: ${message}`);
  };
  const integer = (value, what, field, lo, hi) => {
    if (!Number.isSafeInteger(value) || value < lo || value > hi) {
      fail(what, `${field} is ${show(value)}; it must be an integer from ${lo} to ${hi}`);
    }
    return value;
  };
  const list = (value, what, field) => {
    if (!Array.isArray(value)) fail(what, `${field} is ${show(value)}; it must be a list`);
    return value;
  };
  const object = (value, what) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(what, `is ${show(value)}, not an object`);
    return value;
  };

  object(d, 'the descriptor');
  const top = 'the descriptor';
  const maxSize = integer(d.max_texture_size, top, 'max_texture_size', 1, MAX_TEXTURE_SIZE);
  const drawBuffers = integer(d.max_draw_buffers, top, 'max_draw_buffers', 1, MAX_LAYERS);
  const weightBytes = integer(object(d.weights, 'weights').bytes, 'weights', 'bytes', 0, Number.MAX_SAFE_INTEGER);
  const textures = list(d.textures, top, 'textures');
  const variables = list(d.variables, top, 'variables');
  const programs = list(d.programs, top, 'programs');
  const draws = list(d.draws, top, 'draws');
  programs.forEach((p, k) => {
    if (typeof p !== 'string') fail(`program ${k}`, `is ${show(p)}, not GLSL source text`);
  });

  textures.forEach((t, k) => {
    const what = `texture ${k}`;
    object(t, what);
    integer(t.width, what, 'width', 1, maxSize);
    integer(t.height, what, 'height', 1, maxSize);
    integer(t.layers, what, 'layers', 1, MAX_LAYERS);
    if (!isPow2(t.width)) fail(what, `width is ${t.width}, not a power of two`);
    if (!isPow2(t.layers)) fail(what, `layers is ${t.layers}, not a power of two`);
    if (t.constant === undefined && t.layers > drawBuffers) {
      fail(what, `layers is ${t.layers}, more than max_draw_buffers (${drawBuffers}): a draw writes every layer at once`);
    }
    if (t.constant !== undefined) integer(t.constant, what, 'constant', 0, variables.length - 1);
  });

  variables.forEach((v, i) => {
    object(v, `variable ${i}`);
    const what = `variable ${i} ('${String(v.name).slice(0, 80)}')`;
    if (typeof v.name !== 'string') fail(what, `name is ${show(v.name)}, not a string`);
    if (!DTYPES.includes(v.dtype)) fail(what, `dtype is ${show(v.dtype)}, not one of ${DTYPES.join(', ')}`);
    const shape = list(v.shape, what, 'shape');
    let elements = 1;
    shape.forEach((n, a) => {
      elements *= integer(n, what, `shape[${a}]`, 0, Number.MAX_SAFE_INTEGER);
    });
    const texture = integer(v.texture, what, 'texture', -1, textures.length - 1);
    if (v.offset !== undefined) {
      const offset = integer(v.offset, what, 'offset', 0, Number.MAX_SAFE_INTEGER);
      if (offset % 4) fail(what, `offset is ${offset}, not a multiple of 4 (float32 data)`);
      if (offset + elements * 4 > weightBytes) {
        fail(what, `offset ${offset} + ${elements} float32 values (shape [${shape}]) ends past the weights' ${weightBytes} bytes`);
      }
      if (texture < 0 || textures[texture].constant !== i) {
        const constant = texture < 0 ? 'none' : textures[texture].constant;
        fail(what, `a constant (it has an offset) in texture ${texture}, whose 'constant' is ${constant}, not ${i}`);
      }
    }
    if (texture < 0) {
      if (elements > 0) fail(what, `texture is -1 (an empty tensor), but shape [${shape}] has ${elements} elements`);
      return;
    }
    const t = textures[texture];
    const l = object(v.layout, `${what} layout`);
    const rank = shape.length;
    const packed = integer(l.packed, what, 'layout.packed', rank ? 0 : -1, rank - 1);
    const layers = integer(l.layers, what, 'layout.layers', 1, MAX_LAYERS);
    const width = integer(l.width, what, 'layout.width', 1, maxSize);
    if (layers !== t.layers) fail(what, `layout.layers is ${layers}, but its texture ${texture} has ${t.layers} layers`);
    if (width !== t.width) fail(what, `layout.width is ${width}, but its texture ${texture} is ${t.width} wide`);
    const capacity = t.width * t.height * t.layers;
    const texels = integer(l.texels, what, 'layout.texels', 0, capacity);
    const strides = list(l.strides, what, 'layout.strides');
    if (strides.length !== rank) fail(what, `layout.strides has ${strides.length} entries for the ${rank} axes of shape [${shape}]`);
    strides.forEach((s, a) => {
      if (integer(s, what, `layout.strides[${a}]`, 0, Number.MAX_SAFE_INTEGER) > texels) {
        fail(what, `layout.strides[${a}] is ${s}, past layout.texels (${texels})`);
      }
    });
    if (!elements) return;
    // Every element's texel below `texels`, and no two elements in one place: the axes, inner to
    // outer, each stride at least the span of the axes inside it.
    const extents = shape.map((n, a) => (a === packed ? Math.ceil(n / 4) : n));
    const axes = extents.map((n, a) => a).filter((a) => extents[a] > 1).sort((a, b) => strides[a] - strides[b]);
    let span = 1, inner = -1;
    for (const a of axes) {
      if (strides[a] < span) {
        fail(what, `shape [${shape}] and layout.strides [${strides}] (layout.packed ${packed}) disagree: axis ${inner}, ` +
          `${extents[inner]} texels at stride ${strides[inner]}, runs into axis ${a} at stride ${strides[a]}`);
      }
      span = strides[a] * extents[a];
      inner = a;
    }
    if (span > texels) {
      fail(what, `shape [${shape}], layout.packed ${packed} and layout.strides [${strides}] need ${span} texels, ` +
        `more than layout.texels (${texels})`);
    }
  });

  textures.forEach((t, k) => {
    if (t.constant !== undefined && variables[t.constant].offset === undefined) {
      fail(`texture ${k}`, `constant is ${t.constant}, but variable ${t.constant} is not a constant (it has no offset)`);
    }
  });

  draws.forEach((draw, j) => {
    object(draw, `draw ${j}`);
    const what = `draw ${j} (op '${String(draw.op).slice(0, 80)}')`;
    integer(draw.program, what, 'program', 0, programs.length - 1);
    const output = integer(draw.output, what, 'output', 0, variables.length - 1);
    const target = variables[output].texture;
    if (target < 0) fail(what, `output is variable ${output}, which has no texture`);
    if (textures[target].constant !== undefined) fail(what, `output is variable ${output}, in texture ${target}, a constant's`);
    const inputs = list(draw.inputs, what, 'inputs');
    if (inputs.length > MAX_INPUTS) fail(what, `inputs has ${inputs.length} entries; a draw samples at most ${MAX_INPUTS} textures`);
    inputs.forEach((x, k) => {
      integer(x, what, `inputs[${k}]`, 0, variables.length - 1);
      const texture = variables[x].texture;
      if (texture < 0) fail(what, `inputs[${k}] is variable ${x}, which has no texture`);
      if (texture === target) fail(what, `inputs[${k}] is variable ${x}, in texture ${texture}, which the draw writes (its output, variable ${output})`);
    });
  });

  for (const role of ['inputs', 'outputs']) {
    list(d[role], top, role).forEach((entry, k) => {
      const what = `${role}[${k}]`;
      object(entry, what);
      if (typeof entry.name !== 'string') fail(what, `name is ${show(entry.name)}, not a string`);
      const v = integer(entry.variable, what, 'variable', 0, variables.length - 1);
      if (role === 'inputs' && variables[v].offset !== undefined) fail(what, `variable is ${v}, a constant`);
    });
  }
}
