// Network faults for the browser tests, as a request handler of the test site (site.mjs):
// /fault/KIND/PATH serves the site's PATH, except that a weights file (*.bin.zst) is sent with
// fault KIND:
//   cut      headers for the whole file, its first half, then the connection closed
//   404, 500 that HTTP status
//   slow     the whole file in pieces of PIECE bytes, one every GAP_MS
// Every weights request is logged: {path, kind, sent (bytes), finished (all sent), closed (the
// client went away before that), lastPieceAt (Date.now() when the last piece was written)}.
import fs from 'node:fs';
import path from 'node:path';

export const PIECE = 64;
export const GAP_MS = 40;

export function faultServer() {
  const log = [];
  const handle = (req, res, url, root) => {
    const m = /^\/fault\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!m) return false;
    const [, kind, rest] = m;
    const file = path.join(root, decodeURIComponent(rest));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}`);
      return true;
    }
    const bytes = fs.readFileSync(file);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length, 'Cache-Control': 'no-store' };
    if (!rest.endsWith('.bin.zst')) {
      res.writeHead(200, headers).end(bytes);
      return true;
    }
    const entry = { path: rest, kind, sent: 0, finished: false, closed: false, lastPieceAt: 0 };
    log.push(entry);
    res.on('close', () => { entry.closed = !entry.finished; });
    if (/^\d+$/.test(kind)) {
      entry.finished = true;
      res.writeHead(Number(kind), { 'Content-Type': 'text/plain' }).end(`fault ${kind}`);
      return true;
    }
    res.writeHead(200, headers);
    if (kind === 'cut') {
      entry.sent = bytes.length >> 1;
      res.write(bytes.subarray(0, entry.sent));
      // Long enough for the browser to take the first half as it does on a real network.
      setTimeout(() => res.socket?.destroy(), 50);
    } else if (kind === 'slow') {
      const next = () => {
        if (res.destroyed) return;
        const piece = bytes.subarray(entry.sent, entry.sent + PIECE);
        entry.sent += piece.length;
        entry.lastPieceAt = Date.now();
        if (entry.sent < bytes.length) {
          res.write(piece);
          setTimeout(next, GAP_MS);
        } else {
          entry.finished = true;
          res.end(piece);
        }
      };
      next();
    } else {
      throw new Error(`unknown fault '${kind}'`);
    }
    return true;
  };
  return { handle, log };
}
