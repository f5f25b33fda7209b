// The weights of one shape of a model with free dimensions, in GPU buffers that the runners of the
// model's shapes share: a new shape uploads only the weights no kept shape has on the GPU.
//
// The generator lays out each shape's weights afresh (backends/webgpu/generator/program.cc: every
// constant in the order the kernels ask for it, packed into buffers of up to max_binding bytes), so
// a descriptor's weight buffers are the same from one shape to the next only where no constant
// depends on the shape. In practice some do (BERT's position embeddings sliced to the sequence
// length, DeepLab's resize tables): their few kilobytes sit in the one weights buffer of the model,
// and whole buffers differ at every shape. So the unit shared here is smaller: each run of a
// weights buffer that something reads (the ranges the dispatches bind, joined where they overlap:
// a constant, or the constants a dispatch binds as one range), keyed by its bytes
// (content_key.mjs), never by a name or a place.
import { contentKey } from '../../../runtime/js/content_key.mjs';
import { bufferBytes, elementBytes, isWeights, weightsContents } from './webgpu_storage.mjs';

const ALIGNMENT = 256;  // minStorageBufferOffsetAlignment: a binding's offset in its buffer
const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

// The runs of each weights buffer that are read: for buffer b, [{start, end}] in order, from
// multiples of 256 (so that every binding keeps an aligned offset in its run), not overlapping.
export function readRuns(descriptor) {
  const ranges = descriptor.buffers.map(() => []);
  const add = (b, start, end) => { if (end > start) ranges[b].push([start, end]); };
  for (const d of [...descriptor.dispatches, ...(descriptor.prepare ?? [])]) for (const [b, offset, size] of d.bindings) add(b, offset, offset + size);
  // An output that is a constant is copied out of its weights buffer.
  for (const v of descriptor.variables) add(v.buffer, v.offset, v.offset + v.bytes);
  return ranges.map((list, b) => {
    if (b === 0 || !isWeights(descriptor.buffers[b])) return [];
    const runs = [];
    for (const [s, e] of list.map(([s, e]) => [s - (s % ALIGNMENT), e]).sort((x, y) => x[0] - y[0])) {
      const last = runs[runs.length - 1];
      if (last && s < last.end) last.end = Math.max(last.end, e);
      else runs.push({ start: s, end: e });
    }
    return runs;
  });
}

// Puts the weights of `descriptor` (its bytes: `bytes`) on `device` through `cache` (a RefCache of
// {buffer, bytes} by content key; this model's), making and writing only the runs it lacks.
// Returns { buffers, dispatches, prepare, variables, made, release, uploaded }: the buffers to bind
// (the arena `arena` first, then the runs and the buffers of this shape's own), `dispatches`,
// `prepare` (those of the descriptor's that run, by default all) and `variables` with their places in those buffers, `made`: the
// buffers of this shape's own made here (scratch and prepared weights, for the runner to destroy),
// release() to give the runs back (at the runner's dispose) and the bytes written now.
export function shareWeights(device, descriptor, dispatches, bytes, arena, cache, prepare = descriptor.prepare ?? []) {
  const runs = readRuns(descriptor);
  const buffers = [arena];
  const made = [];
  const used = new Set([...dispatches, ...prepare].flatMap((d) => d.bindings.map(([b]) => b)));
  const own = descriptor.buffers.map((b, i) => {
    if (i === 0 || isWeights(b)) return undefined;
    made.push(device.createBuffer({ size: bufferBytes(b, used.has(i)), usage: USAGE() }));
    buffers.push(made[made.length - 1]);
    return buffers.length - 1;
  });
  const held = cache.holder();
  let uploaded = 0;
  // Each weights buffer's bytes (f16 ones converted from the blob's f32 values) once, for its runs.
  const contents = descriptor.buffers.map((b, i) => (runs[i].length ? weightsContents(b, bytes) : null));
  const where = runs.map((list, b) => list.map((r) => {
    const size = Math.ceil((r.end - r.start) / 4) * 4;
    let data = contents[b].subarray(r.start, Math.min(contents[b].length, r.start + size));
    if (data.length < size) {
      const padded = new Uint8Array(size);
      padded.set(data);
      data = padded;
    }
    const key = contentKey(data, `buffer:${size}:${USAGE()}`);
    const value = held.take(key, () => {
      const buffer = device.createBuffer({ size, usage: USAGE() });
      device.queue.writeBuffer(buffer, 0, data, 0, size);
      uploaded += size;
      return { buffer, bytes: size };
    });
    buffers.push(value.buffer);
    return { ...r, index: buffers.length - 1 };
  }));
  // [buffer, offset] of the descriptor -> [buffer, offset] among `buffers`.
  const place = (b, offset) => {
    if (b === 0) return [0, offset];
    if (own[b] !== undefined) return [own[b], offset];
    const r = where[b].findLast((x) => x.start <= offset);
    return r ? [r.index, offset - r.start] : [0, 0];  // nothing read there: an empty output
  };
  const bind = (d) => ({ ...d, bindings: d.bindings.map(([b, offset, size]) => [...place(b, offset), size]) });
  return {
    buffers,
    made,
    dispatches: dispatches.map(bind),
    prepare: prepare.map(bind),
    variables: descriptor.variables.map((v) => {
      const [buffer, offset] = place(v.buffer, v.offset);
      return { ...v, buffer, offset, half: elementBytes(descriptor.buffers[v.buffer]) === 2 };
    }),
    release: held.release,
    uploaded,
  };
}
