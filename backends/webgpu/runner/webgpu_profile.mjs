// Per-dispatch times of a webgpu runner, for finding where a model's time goes.
//
// Where the device has 'timestamp-query', the GPU itself times each dispatch: the whole program
// runs as in run(), but each dispatch in a compute pass of its own whose start and end write a
// timestamp, so every kernel meets the caches and the data the real run gives it. The program
// runs `repeat` times after one unmeasured round, and each dispatch gets its median.
// Elsewhere each dispatch is submitted on its own, `repeat` times, and timed on the CPU to the
// queue's completion: that includes the submission, so it only ranks slow kernels.

// WebGPU caps a query set at 4096 queries; two per dispatch.
const CHUNK = 2048;

// Returns [{ index, op, type, kernel, workgroups, ms, clock }], slowest first; `clock` is 'gpu'
// (timestamp-query) or 'queue' (CPU time to the queue's completion).
export async function profileDispatches(runner, { repeat = 3 } = {}) {
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`profile: repeat must be a whole number >= 1, not ${repeat}`);
  runner.writeInputs();
  const gpu = runner.device.features.has('timestamp-query');
  const ms = gpu ? await timestamped(runner, repeat) : await queued(runner, repeat);
  const rows = runner.steps.map((s, index) => ({
    index, op: s.op, type: s.type, kernel: `shader ${s.shader}`, workgroups: s.workgroups, ms: ms[index], clock: gpu ? 'gpu' : 'queue',
  }));
  return rows.sort((a, b) => b.ms - a.ms);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timestamped(runner, repeat) {
  const { device, steps } = runner;
  const samples = steps.map(() => []);
  for (let first = 0; first < steps.length; first += CHUNK) {
    const chunk = steps.slice(first, first + CHUNK);
    const count = 2 * chunk.length;
    const querySet = device.createQuerySet({ type: 'timestamp', count });
    const resolved = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readback = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      for (let round = 0; round <= repeat; round++) {
        const encoder = device.createCommandEncoder();
        chunk.forEach((s, i) => {
          const pass = encoder.beginComputePass({
            timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
          pass.setPipeline(s.pipeline);
          pass.setBindGroup(0, s.group);
          pass.dispatchWorkgroups(...s.workgroups);
          pass.end();
        });
        encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, readback, 0, count * 8);
        device.queue.submit([encoder.finish()]);
        await readback.mapAsync(GPUMapMode.READ);
        const ticks = new BigUint64Array(readback.getMappedRange().slice(0));
        readback.unmap();
        // Round 0 warms the caches and the clocks up. Timestamps are nanoseconds; an implementation
        // may reset them between passes, which reads as an end before its start.
        if (round > 0) chunk.forEach((_, i) => samples[first + i].push(Math.max(0, Number(ticks[2 * i + 1] - ticks[2 * i])) / 1e6));
      }
    } finally {
      querySet.destroy();
      resolved.destroy();
      readback.destroy();
    }
  }
  return samples.map(median);
}

async function queued(runner, repeat) {
  const { device, steps } = runner;
  const ms = [];
  for (const s of steps) {
    device.queue.submit([runner.encode([s], false)]);
    await device.queue.onSubmittedWorkDone();
    const start = performance.now();
    device.queue.submit([runner.encode(Array(repeat).fill(s), false)]);
    await device.queue.onSubmittedWorkDone();
    ms.push((performance.now() - start) / repeat);
  }
  return ms;
}
