#!/usr/bin/env node
// A small static file server for examples, tests and benchmarks. Loopback only.
//   serve.mjs [--root DIR] [--port N] [--isolate] [--csp POLICY]
// --isolate sends Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy, which browsers
// require before they give a page SharedArrayBuffer (the wasm backend's threads).
// Also usable as a module: const server = await serve({ root, port: 0, isolate: true }); there
// `handle(req, res, url)` may answer a request itself (returning true), as tests do to make faults.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.onnx': 'application/octet-stream', '.zst': 'application/octet-stream',
  '.npy': 'application/octet-stream', '.ts': 'text/plain',
};

export function serve({ root = process.cwd(), port = 0, isolate = false, csp = '', quiet = true, handle } = {}) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (handle?.(req, res, url)) return;
    let file = path.join(base, decodeURIComponent(url.pathname));
    if (!file.startsWith(base)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (isolate) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    if (csp) headers['Content-Security-Policy'] = csp;
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}`);
        return;
      }
      headers['Content-Length'] = stat.size;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
      if (!quiet) console.log(`${req.method} ${url.pathname}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.url = `http://127.0.0.1:${server.address().port}`;
      resolve(server);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const server = await serve({
    root: value('--root', process.cwd()), port: Number(value('--port', 8000)), isolate: args.includes('--isolate'),
    csp: value('--csp', ''), quiet: false,
  });
  console.log(`serving ${path.resolve(value('--root', process.cwd()))} at ${server.url}/` +
    (args.includes('--isolate') ? ' (cross-origin isolated)' : ''));
}
