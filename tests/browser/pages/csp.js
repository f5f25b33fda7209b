// The page's own code, loaded as a file because a strict Content-Security-Policy allows no inline
// script: runs the model of ?model=DIR on the inputs of ?input=FILE.json with the options of
// ?options=JSON, and leaves the outcome in window.result. Every CSP violation is kept in
// window.violations, so that a runtime that tried eval and quietly recovered is caught too.
import WebDNN from './webdnn/webdnn.mjs';

window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const query = new URLSearchParams(location.search);

async function main() {
  const inputs = await (await fetch(query.get('input'))).json();
  const runner = await WebDNN.load(query.get('model'), JSON.parse(query.get('options') || '{}'));
  for (const i of inputs) runner.inputs.find((v) => v.name === i.name).set(i.data);
  await runner.run();
  const outputs = {};
  for (const o of runner.outputs) outputs[o.name] = { type: o.dtype, shape: o.shape, data: Array.from(o.toActual(), Number) };
  runner.dispose();
  return { backendName: runner.backendName, numThreads: runner.numThreads, outputs };
}

window.result = main().catch((e) => ({ error: `${e?.constructor?.name}: ${e?.message ?? e}` }));
