// The compute pipelines of a webgpu descriptor: one per distinct shader text, all requested at
// once with createComputePipelineAsync so that the driver compiles them in the background (and in
// parallel where it can) while the weights download.
//
// webdnn-convert already writes identical shaders once, but the runner does not rely on it: a
// descriptor is data (from another converter version, or edited), and keying by the text costs
// nothing. The layout is 'auto', derived from the text alone, so equal text means equal layout.
import { RefCache } from '../../../runtime/js/ref_cache.mjs';

// Starts the pipelines of the shaders the dispatches use. Returns { count, done, release } where
// `done` resolves to an array indexed by shader number (holes for shaders no dispatch uses), or
// rejects with an error naming the shader, the operator that needs it and the compiler's messages.
//
// The pipelines made on a device are kept for the device's other descriptors too: the shapes of a
// model with free dimensions, generated in the page one by one, share most of their shaders. Each
// descriptor's runner holds its pipelines until `release()` (at its dispose): a pipeline no runner
// holds is forgotten (ref_cache.mjs).
const compiled = new WeakMap();  // device -> RefCache(shader text -> { module, pending })

// The number of pipelines kept on `device` (for tests).
export function keptPipelines(device) {
  return compiled.get(device)?.size ?? 0;
}

export function createPipelines(device, descriptor, dispatches) {
  if (!compiled.has(device)) compiled.set(device, new RefCache());
  const known = compiled.get(device);
  const byCode = new Map();  // shader text -> { first: shader number, module, pending }
  const shaderOf = new Map();  // shader number -> entry of byCode
  for (const d of dispatches) {
    if (shaderOf.has(d.shader)) continue;
    const code = descriptor.shaders[d.shader].code;
    let entry = byCode.get(code);
    if (!entry) {
      const made = known.take(code, () => {
        const module = device.createShaderModule({ code });
        const pending = device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
        const fresh = { module, pending };
        // A failed pipeline is not kept: the error belongs to this load.
        pending.catch(() => known.drop(code, fresh));
        return fresh;
      });
      entry = { first: d.shader, module: made.module, pending: made.pending, made };
      byCode.set(code, entry);
    }
    shaderOf.set(d.shader, entry);
  }
  const entries = [...byCode.values()];
  const done = Promise.allSettled(entries.map((e) => e.pending)).then(async (settled) => {
    const failed = settled.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) throw await describeFailure(entries[failed], settled[failed].reason, dispatches);
    const pipelines = [];
    entries.forEach((e, i) => { e.pipeline = settled[i].value; });
    for (const [shader, e] of shaderOf) pipelines[shader] = e.pipeline;
    return pipelines;
  });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const [code, e] of byCode) known.release(code, e.made);
  };
  return { count: entries.length, done, release };
}

// Which shader failed, for which operator, and why, in the compiler's own words where it has any.
async function describeFailure(entry, reason, dispatches) {
  const errors = (await entry.module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  const op = dispatches.find((d) => d.shader === entry.first)?.op;
  return new Error(`WebGPU shader ${entry.first} (for '${op}') ` + (errors.length
    ? `does not compile: ${errors.map((m) => `line ${m.lineNum}: ${m.message}`).join('; ')}`
    : `failed to make a pipeline: ${String(reason?.message ?? reason).trim()}`));
}
