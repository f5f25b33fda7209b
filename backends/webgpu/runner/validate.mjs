// Checks a webgpu graph descriptor (docs/descriptor.md) in full before the runner gives any of
// its numbers to WebGPU: a descriptor is data from the network, and a corrupt download or a
// hostile server must get a clear error, not a frozen tab, a lost device or a crash deep in the
// driver. Every buffer, variable, port and dispatch is checked against the buffers it names and
// the limits the descriptor was made for (max_binding, 8 bindings, 65535 workgroups per axis).
// The first problem throws an Error naming the part (dispatch with its op, variable with its
// name) and the field. Pure JavaScript: no GPU needed.

const DTYPES = ['float32', 'int32', 'int64', 'bool', 'uint8', 'int8'];
const ALIGNMENT = 256;  // minStorageBufferOffsetAlignment
const MAX_BINDINGS = 8;  // maxStorageBuffersPerShaderStage, WebGPU's default
const MAX_WORKGROUPS = 65535;  // maxComputeWorkgroupsPerDimension
const MAX_BYTES = 2 ** 32 - 4;  // the most one GPUBuffer binds anywhere
const MAX_WEIGHTS = 2 ** 32 - 65536;  // the most the WebAssembly runtime decompresses (runtime/core/runner.h)

// Buffers of the runner's own besides the arena (docs/descriptor.md); 'arena': the f16 program's
// arena of float values.
const OWN = ['scratch', 'prepared', 'arena'];

const show = (v) => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));

// A part of the descriptor, for messages: "dispatch 3 ('/conv1/Conv')".
class Part {
  constructor(where, name) {
    this.where = typeof name === 'string' ? `${where} ('${name}')` : where;
  }

  fail(message) {
    throw new Error(`${this.where}: ${message}`);
  }

  // A whole number in [min, max].
  integer(field, v, min, max) {
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`field '${field}' must be a whole number, not ${show(v)}`);
    if (v < min || v > max) this.fail(`field '${field}' is ${v}, outside [${min}, ${max}]`);
    return v;
  }

  multiple(field, v, of) {
    if (v % of !== 0) this.fail(`field '${field}' is ${v}, not a multiple of ${of}`);
  }

  list(field, v, min, max) {
    if (!Array.isArray(v)) this.fail(`field '${field}' must be a list, not ${show(v)}`);
    if (v.length < min || v.length > max) this.fail(`field '${field}' has ${v.length} entries, not ${min === max ? min : `${min} to ${max}`}`);
    return v;
  }

  string(field, v) {
    if (typeof v !== 'string') this.fail(`field '${field}' must be a string, not ${show(v)}`);
    return v;
  }

  // An index into `array`, a list of what `kind` names.
  index(field, v, array, kind) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= array.length) {
      this.fail(`field '${field}' is ${show(v)}, not one of the ${array.length} ${kind}`);
    }
    return v;
  }
}

function object(where, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where} must be an object, not ${show(v)}`);
  return v;
}

function part(d, key) {
  if (!Array.isArray(d[key])) throw new Error(`the descriptor's '${key}' must be a list, not ${show(d[key])}`);
  return d[key];
}

// The bindings a shader declares as `@group(0) @binding(k) var<storage, ...> name: array<f32, N>`
// (or f16; N, or 0 for an array without a length): binding -> the bytes it reads at least.
function declaredBindings(code) {
  const bindings = new Map();
  const re = /@group\(0\)\s*@binding\((\d+)\)\s*var<storage,\s*\w+>\s*\w+\s*:\s*array<f(32|16)(?:,\s*(\d+)u?)?>/g;
  for (const m of code.matchAll(re)) bindings.set(Number(m[1]), m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '16' ? 2 : 4));
  return bindings;
}

// Bytes an element of buffer `b` takes: the f16 program stores float values as f16.
export const elementBytes = (b) => (b.element === 'f16' ? 2 : 4);

// Throws an Error naming the field that is wrong, prefixed with `where` (the descriptor's file).
export function validateWebGpuDescriptor(d, where = 'the webgpu descriptor') {
  try {
    check(d);
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }
}

function check(d) {
  const top = new Part("the descriptor's");
  if (d.storage !== 'f32' && d.storage !== 'f16') top.fail(`field 'storage' is ${show(d.storage)}; this runner stores 'f32' or 'f16'`);
  const maxBinding = top.integer('max_binding', d.max_binding, ALIGNMENT, MAX_BYTES);
  const weightsBytes = new Part("the descriptor's 'weights'").integer('bytes', object("the descriptor's 'weights'", d.weights).bytes, 0, MAX_WEIGHTS);

  const buffers = part(d, 'buffers');
  if (buffers.length === 0) top.fail("field 'buffers' is empty (buffer 0 is the arena)");
  buffers.forEach((raw, i) => {
    const b = object(`buffer ${i}`, raw);
    const p = new Part(`buffer ${i}`, b.name);
    p.integer('bytes', b.bytes, 4, maxBinding);
    if (b.element !== undefined && (b.element !== 'f16' || d.storage !== 'f16')) {
      p.fail(`field 'element' is ${show(b.element)}; only 'f16', in a descriptor of storage 'f16'`);
    }
    if (b.halves !== undefined) {
      if (i === 0 || b.element !== 'f16' || b.weights_offset !== undefined || b.kind !== undefined) {
        p.fail("field 'halves' is set, but the buffer is not a weights buffer of element 'f16' without 'weights_offset' or 'kind'");
      }
      // [byte offset of f32 values in the weights, count, byte offset of their halves in the buffer]
      p.list('halves', b.halves, 0, MAX_BYTES).forEach((h, k) => {
        const f = (n) => `halves[${k}][${n}]`;
        p.list(`halves[${k}]`, h, 3, 3);
        const source = p.integer(f(0), h[0], 0, weightsBytes);
        p.multiple(f(0), source, 4);
        const count = p.integer(f(1), h[1], 1, maxBinding / 2);
        const at = p.integer(f(2), h[2], 0, b.bytes);
        p.multiple(f(2), at, 2);
        if (source + count * 4 > weightsBytes) p.fail(`field '${f(1)}' reaches byte ${source + count * 4}, past the ${weightsBytes} bytes of the weights`);
        if (at + count * 2 > b.bytes) p.fail(`field '${f(1)}' reaches byte ${at + count * 2}, past the ${b.bytes} bytes of the buffer`);
      });
      return;
    }
    if (b.weights_offset === undefined) {
      if (i > 0 && !OWN.includes(b.kind)) {
        p.fail(`field 'weights_offset' is missing, and field 'kind' is ${show(b.kind)}, not one of ${OWN.join(', ')} ` +
          '(every other buffer after the arena holds weights)');
      }
      return;
    }
    if (i === 0) p.fail("field 'weights_offset' is set, but buffer 0 is the arena");
    if (b.element !== undefined) p.fail("field 'element' is set, but f16 weights are given by 'halves'");
    if (b.kind !== undefined) p.fail(`field 'kind' is ${show(b.kind)}, but the buffer holds weights`);
    const offset = p.integer('weights_offset', b.weights_offset, 0, weightsBytes);
    p.multiple('weights_offset', offset, 4);
    // The runner uploads bytes rounded up to whole f32 values.
    const end = offset + Math.ceil(b.bytes / 4) * 4;
    if (end > weightsBytes) {
      p.fail(`fields 'weights_offset' and 'bytes' reach byte ${end}, past the ${weightsBytes} bytes of the weights`);
    }
  });
  // A range [offset, offset + bytes) of buffer `buffer`, checked by `p` under field names `f`.
  const range = (p, f, buffer, offset, bytes) => {
    const b = p.index(f.buffer, buffer, buffers, 'buffers');
    p.integer(f.offset, offset, 0, buffers[b].bytes);
    if (offset + bytes > buffers[b].bytes) {
      p.fail(`fields '${f.offset}' and '${f.bytes}' reach byte ${offset + bytes}, past the ${buffers[b].bytes} bytes of buffer ${b}`);
    }
    return b;
  };

  const variables = part(d, 'variables');
  variables.forEach((raw, i) => {
    const v = object(`variable ${i}`, raw);
    const p = new Part(`variable ${i}`, v.name);
    p.string('name', v.name);
    if (!DTYPES.includes(v.dtype)) p.fail(`field 'dtype' is ${show(v.dtype)}, not one of ${DTYPES.join(', ')}`);
    const shape = p.list('shape', v.shape, 0, 16);
    let elements = 1;
    shape.forEach((n, a) => {
      elements *= p.integer(`shape[${a}]`, n, 0, maxBinding / 4);
      if (elements > maxBinding / 4) p.fail(`field 'shape' ${show(shape)} holds more than the ${maxBinding / 4} values of a binding`);
    });
    p.integer('bytes', v.bytes, 0, maxBinding);
    const b = range(p, { buffer: 'buffer', offset: 'offset', bytes: 'bytes' }, v.buffer, v.offset, v.bytes);
    const size = elementBytes(buffers[b]);
    if (v.bytes !== elements * size) p.fail(`field 'bytes' is ${v.bytes}; shape ${show(shape)} stored as f${size * 8} takes ${elements * size}`);
    p.multiple('offset', v.offset, 4);
    // The runner copies whole 4-byte words: an odd number of halves takes the next two bytes too.
    if (Math.ceil(v.bytes / 4) * 4 + v.offset > buffers[b].bytes) p.fail(`field 'bytes' rounded up to 4 reaches past the ${buffers[b].bytes} bytes of buffer ${b}`);
  });

  for (const key of ['inputs', 'outputs']) {
    part(d, key).forEach((raw, i) => {
      const port = object(`${key} ${i}`, raw);
      const p = new Part(`${key} ${i}`, port.name);
      p.string('name', port.name);
      const v = p.index('variable', port.variable, variables, 'variables');
      const b = buffers[variables[v].buffer];
      if (key === 'inputs' && variables[v].buffer !== 0 && b.kind !== 'arena') p.fail(`its variable ${v} lies in a weights buffer, not in an arena`);
    });
  }

  const shaders = part(d, 'shaders');
  shaders.forEach((raw, i) => {
    const p = new Part(`shader ${i}`);
    if (p.string('code', object(`shader ${i}`, raw).code).length === 0) p.fail("field 'code' is empty");
  });
  const declared = [];  // each shader's bindings, parsed when a dispatch first uses it

  const dispatches = (list, name) => list.forEach((raw, i) => {
    const dispatch = object(`${name} ${i}`, raw);
    const p = new Part(`${name} ${i}`, dispatch.op);
    p.string('op', dispatch.op);
    if (dispatch.kernels !== undefined && !['gpu', 'cpu'].includes(dispatch.kernels)) {
      p.fail(`field 'kernels' is ${show(dispatch.kernels)}, not 'gpu' or 'cpu'`);
    }
    const bindings = p.list('bindings', dispatch.bindings, 1, MAX_BINDINGS).map((b, k) => {
      const f = (n) => `bindings[${k}][${n}]`;
      p.list(`bindings[${k}]`, b, 3, 3);
      const [buffer, offset, size] = b;
      p.integer(f(1), offset, 0, MAX_BYTES);
      p.multiple(f(1), offset, ALIGNMENT);
      p.integer(f(2), size, 4, maxBinding);
      p.multiple(f(2), size, 4);
      range(p, { buffer: f(0), offset: f(1), bytes: f(2) }, buffer, offset, size);
      return size;
    });
    const variant = (prefix, v) => {
      const shader = p.index(`${prefix}shader`, v.shader, shaders, 'shaders');
      p.list(`${prefix}workgroups`, v.workgroups, 3, 3).forEach((n, a) => p.integer(`${prefix}workgroups[${a}]`, n, 1, MAX_WORKGROUPS));
      declared[shader] ??= declaredBindings(shaders[shader].code);
      const wants = declared[shader];
      if (wants.size !== bindings.length || bindings.some((_, k) => !wants.has(k))) {
        p.fail(`field 'bindings' gives ${bindings.length} bindings, but shader ${shader} (field '${prefix}shader') ` +
          `declares ${wants.size}: ${[...wants.keys()].sort((a, b) => a - b).join(', ') || 'none'}`);
      }
      bindings.forEach((size, k) => {
        if (size < wants.get(k)) p.fail(`field 'bindings[${k}][2]' is ${size} bytes, but shader ${shader} reads ${wants.get(k)} there`);
      });
    };
    variant('', dispatch);
    if (dispatch.cpu !== undefined) variant('cpu.', object(`${name} ${i} ('${dispatch.op}')'s cpu`, dispatch.cpu));
    if (dispatch.subgroups !== undefined) variant('subgroups.', object(`${name} ${i} ('${dispatch.op}')'s subgroups`, dispatch.subgroups));
    if (dispatch.packed_dot !== undefined) {
      const dot = object(`${name} ${i} ('${dispatch.op}')'s packed_dot`, dispatch.packed_dot);
      variant('packed_dot.', dot);
      if (dot.cpu !== undefined) variant('packed_dot.cpu.', object(`${name} ${i} ('${dispatch.op}')'s packed_dot.cpu`, dot.cpu));
    }
  });
  dispatches(part(d, 'dispatches'), 'dispatch');
  if (d.prepare !== undefined) dispatches(part(d, 'prepare'), 'prepare dispatch');
}
