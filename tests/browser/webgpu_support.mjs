// What the WebGPU tests share: the tolerance the issue sets for the GPU backends, and running a
// model in a page with the webgpu runner's own figures (the kernel set it picked, its load
// times), the page's warnings, and optionally the device destroyed before the run.
import { plainInputs, typedOutputs } from './site.mjs';

// max |ours - ref| <= 1e-3 * max |ref| + 1e-4 (and the same arg-max class, which verdict checks).
export const WEBGPU_TOLERANCE = { rel: 1e-3, abs: 1e-4 };

// Page instrumentation: every GPUDevice the page requests is kept in globalThis.webgpuDevices, so
// that a test can destroy it (what a lost device looks like to the runner).
export async function captureDevices(page) {
  await page.evaluate(() => {
    if (globalThis.webgpuDevices) return;
    globalThis.webgpuDevices = [];
    const original = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function requestDevice(...args) {
      const device = await original.apply(this, args);
      globalThis.webgpuDevices.push(device);
      if (globalThis.loseNextDevice) {  // asked for before this device existed (runWebGpu's 'load')
        globalThis.loseNextDevice = false;
        device.destroy();
      }
      return device;
    };
  });
}

// WebDNN.load(dir, options) in `page`, inputs set, one run. `loseDevice`: 'load' destroys the
// load's device when the weights arrive, or when it is made if that is later (from the progress
// callback; needs captureDevices), 'run' just before the run. Returns { backendName, kernels,
// loadTimes, pipelineCount, tail, outputs, runError, secondRunError, warnings } (tail: {head,
// carried} where a wasm tail runs after the GPU; secondRunError: a second run after a failed one);
// a failing load throws with the page's console. `profile`: runner.profile() after the run, then a second run;
// adds { profile, timestampQuery (whether the device has it), outputsAfterProfile }.
export async function runWebGpu(page, dir, options, inputs, { loseDevice, profile } = {}) {
  const before = page.messages.length;
  const r = await page.evaluate(async ({ dir, options, inputs, loseDevice, profile }) => {
    try {
      const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
      const opts = { ...options };
      if (loseDevice === 'load') {
        // This load's device: the weights may arrive before it exists (they download while it
        // opens), and then it is destroyed as soon as it is made. Never an earlier test's device.
        const first = globalThis.webgpuDevices.length;
        let lost = false;
        opts.progressCallback = () => {
          if (lost) return;
          lost = true;
          if (globalThis.webgpuDevices.length > first) globalThis.webgpuDevices[first].destroy();
          else globalThis.loseNextDevice = true;
        };
      }
      const runner = await WebDNN.load(dir, opts).finally(() => { globalThis.loseNextDevice = false; });
      for (const i of inputs) {
        const view = runner.inputs.find((v) => v.name === i.name);
        if (!view) throw new Error(`the runner has no input '${i.name}'`);
        view.set(i.type === 'float16' ? new Uint16Array(i.data) : i.data);
      }
      if (loseDevice === 'run') runner.device.destroy();
      const attempt = async () => {
        try {
          await runner.run();
          return null;
        } catch (e) {
          return `${e?.constructor?.name}: ${e?.message ?? e}`;
        }
      };
      const runError = await attempt();
      const secondRunError = runError ? await attempt() : null;
      // The computed values (float32 for a float16 output), which compare.mjs takes as they are.
      const read = () => Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.dtype, shape: o.shape, data: Array.from(o.view(), Number) }]));
      const outputs = read();
      const extra = {};
      if (profile) {
        extra.profile = await runner.profile();
        extra.timestampQuery = runner.device.features.has('timestamp-query');
        for (const o of runner.outputs) o.set(new Array(o.size).fill(0));  // the second run must write them again
        await runner.run();
        extra.outputsAfterProfile = read();
      }
      runner.dispose();
      return { backendName: runner.backendName, kernels: runner.kernels, subgroups: runner.subgroups, packedDot: runner.packedDot, loadTimes: runner.loadTimes, pipelineCount: runner.pipelineCount,
        tail: runner.tail ? { head: Boolean(runner.head), carried: runner.carried.map((c) => c.to.name) } : null,
        outputs, runError, secondRunError, ...extra };
    } catch (e) {
      return { error: `${e?.constructor?.name}: ${e?.message ?? e}` };
    }
  }, { dir, options, inputs: plainInputs(inputs), loseDevice, profile });
  const messages = page.messages.slice(before);
  if (r.error) throw new Error(`in the page: ${r.error}\npage console:\n${messages.join('\n')}`);
  if (r.outputsAfterProfile) r.outputsAfterProfile = typedOutputs(r.outputsAfterProfile);
  return { ...r, outputs: typedOutputs(r.outputs), warnings: messages.filter((m) => m.startsWith('[warning]')) };
}
