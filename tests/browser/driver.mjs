// Headless Chromium (Debian's) driven by playwright-core, for browser tests and benchmarks.
//   const browser = await launch({ noWasm: true });
//   const page = await openPage(browser, `${server.url}/page.html`);
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.WEBDNN_CHROMIUM || '/usr/bin/chromium';

// Flags measured to give WebGPU (SwiftShader) and WebGL2 headless here, without the background
// network traffic that this machine refuses.
const FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader',
  '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-dev-shm-usage'];

export async function launch({ noWasm = false, extraArgs = [] } = {}) {
  const args = [...FLAGS, ...extraArgs];
  // V8 has dropped --expose-wasm (Chromium 156 ignores --js-flags=--noexpose_wasm); --jitless is
  // what takes WebAssembly away now, as Safari's Lockdown Mode does. It also stops the JavaScript
  // JIT, so code runs in V8's interpreter there.
  if (noWasm) args.push('--js-flags=--jitless');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

// Opens `url`, forwarding the page's console to `log` (default: collected in page.messages).
export async function openPage(browser, url, { log } = {}) {
  const page = await browser.newPage();
  page.messages = [];
  page.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()}`;
    page.messages.push(line);
    if (log) log(line);
  });
  page.on('pageerror', (e) => page.messages.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return page;
}
