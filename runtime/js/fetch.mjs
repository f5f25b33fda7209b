// Reading the files of a converted model from a URL (browsers, Node.js) or a path (Node.js),
// whole or as a stream of chunks with progress.

export const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';

export function join(dir, file) {
  const base = String(dir);
  return base.endsWith('/') ? base + file : `${base}/${file}`;
}

// Node.js reads plain paths and file: URLs from disk; everything else is fetched.
function onDisk(location) {
  return isNode && !/^(https?|data|blob):/i.test(location);
}

async function nodeFs() {
  const [fs, url] = await Promise.all([import('node:fs'), import('node:url')]);
  return { fs, toPath: (l) => (l.startsWith('file:') ? url.fileURLToPath(l) : l) };
}

async function open(location, what) {
  let response;
  try {
    const url = typeof document === 'object' ? new URL(location, document.baseURI) : location;
    response = await fetch(url);
  } catch (e) {
    throw new Error(`cannot fetch ${what} '${location}': ${e.message}`);
  }
  if (!response.ok) throw new Error(`cannot fetch ${what} '${location}' (HTTP ${response.status} ${response.statusText})`);
  return response;
}

export async function fetchText(location, what) {
  if (onDisk(location)) {
    const { fs, toPath } = await nodeFs();
    try {
      return await fs.promises.readFile(toPath(location), 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${what} '${location}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
  }
  return (await open(location, what)).text();
}

export async function fetchJson(location, what) {
  const text = await fetchText(location, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} '${location}' is not valid JSON: ${e.message}`);
  }
}

export async function fetchBytes(location, what) {
  if (onDisk(location)) {
    const { fs, toPath } = await nodeFs();
    try {
      return new Uint8Array(await fs.promises.readFile(toPath(location)));
    } catch (e) {
      throw new Error(`cannot read ${what} '${location}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
  }
  return new Uint8Array(await (await open(location, what)).arrayBuffer());
}

// Calls onChunk(Uint8Array) for each piece as it arrives and onProgress(loaded, total).
export async function streamBytes(location, what, total, onChunk, onProgress) {
  let loaded = 0;
  const take = (chunk) => {
    loaded += chunk.length;
    onChunk(chunk);
    if (onProgress) onProgress(loaded, total);
  };
  if (onDisk(location)) {
    const { fs, toPath } = await nodeFs();
    const stream = fs.createReadStream(toPath(location), { highWaterMark: 1 << 20 });
    const chunks = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
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
  const response = await open(location, what);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    take(value);
  }
  return loaded;
}
