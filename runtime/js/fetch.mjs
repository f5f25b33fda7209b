// Reading the files of a converted model from a URL (browsers, Node.js) or a path (Node.js),
// whole or as a stream of chunks with progress.

export const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';

export function join(dir, file) {
  const base = String(dir);
  return base.endsWith('/') ? base + file : `${base}/${file}`;
}

// What relative locations are relative to: the page's address where there is a document; in a
// worker, the page's too (the WebDNN worker sets it), not the worker script's.
let base = null;
export function setBase(url) {
  base = url;
}

export function resolve(location) {
  const from = base ?? globalThis.document?.baseURI;
  return from ? new URL(location, from) : location;
}

// Node.js reads plain paths and file: URLs from disk; everything else is fetched.
function onDisk(location) {
  return isNode && !/^(https?|data|blob):/i.test(location);
}

// A module of Node.js. Not import(): bundlers building for browsers would try to resolve it.
export function nodeModule(name) {
  if (!process.getBuiltinModule) throw new Error(`WebDNN needs Node.js 20.16 or newer (this is ${process.version})`);
  return process.getBuiltinModule(name);
}

function nodeFs() {
  const fs = nodeModule('fs'), url = nodeModule('url');
  return { fs, toPath: (l) => (l.startsWith('file:') ? url.fileURLToPath(l) : l) };
}

// The response to a GET of `location` (a URL); `init` as fetch takes it (its `signal` aborts).
export async function open(location, what, init) {
  let response;
  try {
    response = await fetch(resolve(location), init);
  } catch (e) {
    if (init?.signal?.aborted) throw e;  // WebDNN.load says what was aborted
    throw new Error(`cannot fetch ${what} '${location}': ${e.message}`);
  }
  if (!response.ok) throw new Error(`cannot fetch ${what} '${location}' (HTTP ${response.status} ${response.statusText})`);
  return response;
}

export async function fetchText(location, what, init) {
  if (onDisk(location)) {
    const { fs, toPath } = nodeFs();
    try {
      return await fs.promises.readFile(toPath(location), 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${what} '${location}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
  }
  return (await open(location, what, init)).text();
}

export async function fetchJson(location, what, init) {
  const text = await fetchText(location, what, init);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} '${location}' is not valid JSON: ${e.message}`);
  }
}

export async function fetchBytes(location, what) {
  if (onDisk(location)) {
    const { fs, toPath } = nodeFs();
    try {
      return new Uint8Array(await fs.promises.readFile(toPath(location)));
    } catch (e) {
      throw new Error(`cannot read ${what} '${location}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
  }
  return new Uint8Array(await (await open(location, what)).arrayBuffer());
}

// Calls onChunk(Uint8Array) for each piece as it arrives and onProgress(loaded, total).
// `signal` (an AbortSignal) stops the download.
export async function streamBytes(location, what, total, onChunk, onProgress, signal) {
  let loaded = 0;
  const take = (chunk) => {
    loaded += chunk.length;
    onChunk(chunk);
    if (onProgress) onProgress(loaded, total);
  };
  if (onDisk(location)) {
    const { fs, toPath } = nodeFs();
    const stream = fs.createReadStream(toPath(location), { highWaterMark: 1 << 20 });
    const chunks = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        signal?.throwIfAborted();
        let next;
        try {
          next = await chunks.next();
        } catch (e) {
          throw new Error(`cannot read ${what} '${location}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
        }
        if (next.done) break;
        // Outside the try above: a chunk the consumer rejects is not a read error.
        take(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.length));
      }
    } finally {
      stream.destroy();
    }
    return loaded;
  }
  await readResponse(await open(location, what, { signal }), take, { location, what, total, signal });
  return loaded;
}

// Calls take(Uint8Array) for each piece of `response`'s body as it arrives. A connection that
// breaks off is reported with how far it got (`about`: {location, what, total, signal}).
export async function readResponse(response, take, about = {}) {
  const reader = response.body.getReader();
  let loaded = 0;
  try {
    for (;;) {
      let next;
      try {
        next = await reader.read();
      } catch (e) {
        if (about.signal?.aborted) throw e;
        const of = about.total !== undefined ? ` of ${about.total}` : '';
        throw new Error(`the download of ${about.what ?? 'a file'} '${about.location ?? response.url}' broke off after ` +
          `${loaded}${of} bytes (${e.message}); try again`);
      }
      if (next.done) break;
      loaded += next.value.length;
      take(next.value);
    }
  } catch (e) {
    reader.cancel(e).catch(() => {});
    throw e;
  }
}
