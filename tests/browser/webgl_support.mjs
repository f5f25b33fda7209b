// What the WebGL tests share: the tolerance the issue sets for the GPU backends, and running a
// model in a page with extra figures of the webgl runner (the descriptor variant it picked, its
// render targets) and the page's warnings.
import { plainInputs, typedOutputs } from './site.mjs';

// max |ours - ref| <= 1e-3 * max |ref| + 1e-4 (and the same arg-max class, which verdict checks).
export const WEBGL_TOLERANCE = { rel: 1e-3, abs: 1e-4 };

// Optional page instrumentation: every WebGL2 context the page creates is kept in
// globalThis.webglContexts, so that a test can lose it (WEBGL_lose_context).
export async function captureContexts(page) {
  await page.evaluate(() => {
    if (globalThis.webglContexts) return;
    globalThis.webglContexts = [];
    for (const Canvas of [globalThis.OffscreenCanvas, globalThis.HTMLCanvasElement]) {
      if (!Canvas) continue;
      const original = Canvas.prototype.getContext;
      Canvas.prototype.getContext = function getContext(type, ...rest) {
        const context = original.call(this, type, ...rest);
        if (type === 'webgl2' && context) globalThis.webglContexts.push(context);
        return context;
      };
    }
  });
}

// WebDNN.load(dir, options) in `page`, inputs set, one run. `loseContext`: 'load' loses the
// context while the weights arrive (from the progress callback), 'run' just before the run.
// Returns { backendName, maxTextureSize, renderTarget, outputs, runError, warnings }.
export async function runWebGl(page, dir, options, inputs, { loseContext } = {}) {
  const before = page.messages.length;
  const r = await page.evaluate(async ({ dir, options, inputs, loseContext }) => {
    const lose = () => globalThis.webglContexts.at(-1)?.getExtension('WEBGL_lose_context').loseContext();
    try {
      const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
      let lost = false;
      const opts = { ...options };
      if (loseContext === 'load') {
        opts.progressCallback = () => {
          if (lost || !globalThis.webglContexts.length) return;
          lose();
          lost = true;
        };
      }
      const runner = await WebDNN.load(dir, opts);
      for (const i of inputs) runner.inputs.find((v) => v.name === i.name).set(i.type === 'float16' ? new Uint16Array(i.data) : i.data);
      if (loseContext === 'run') lose();
      let runError = null;
      try {
        await runner.run();
      } catch (e) {
        runError = `${e?.constructor?.name}: ${e?.message ?? e}`;
      }
      const outputs = {};
      for (const o of runner.outputs) outputs[o.name] = { type: o.dtype, shape: o.shape, data: Array.from(o.view(), Number) };
      runner.dispose();
      return { backendName: runner.backendName, maxTextureSize: runner.maxTextureSize, renderTarget: runner.renderTarget,
        tail: runner.tail ? { head: Boolean(runner.head), carried: runner.carried.map((c) => c.to.name) } : null,
        outputs, runError };
    } catch (e) {
      return { error: `${e?.constructor?.name}: ${e?.message ?? e}` };
    }
  }, { dir, options, inputs: plainInputs(inputs), loseContext });
  const warnings = page.messages.slice(before).filter((m) => m.startsWith('[warning]'));
  if (r.error) throw new Error(`in the page: ${r.error}\npage console:\n${page.messages.slice(before).join('\n')}`);
  return { ...r, outputs: typedOutputs(r.outputs), warnings };
}
