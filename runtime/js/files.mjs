// The files of one converted model (manifest, descriptors, weights), read from its directory or,
// with `cache: true` in a browser, kept in the Cache API. Every cached file is keyed by its
// location and the checksum that the manifest (or, for weights, the descriptor) gives it, and the
// manifest itself is always read from the network: a model converted again changes those
// checksums, so its old files are never served. A load that fails drops what it stored.
import { fetchJson, isNode, join, open, readResponse, resolve, streamBytes } from './fetch.mjs';

export const CACHE_NAME = 'webdnn';

export function cacheAvailable() {
  return !isNode && typeof caches === 'object' && globalThis.isSecureContext !== false;
}

// Deletes every file WebDNN cached in this origin; resolves with whether there were any.
export async function clearCache() {
  return cacheAvailable() ? caches.delete(CACHE_NAME) : false;
}

// The key of version `crc32` of the file at `location`: its URL with the checksum as a query.
function cacheKey(location, crc32) {
  const url = new URL(resolve(location));
  url.searchParams.set('webdnn-crc32', crc32);
  return url.href;
}

export class ModelFiles {
  constructor(dir, options = {}) {
    this.dir = dir;
    this.weightDirectory = options.weightDirectory ?? dir;
    this.cached = options.cache === true && cacheAvailable();
    this.index = {};     // the manifest's "files": {name: {bytes, crc32}}
    this.stored = [];    // {key, put, abandon} of what this load stores
    this.signal = options.signal;  // WebDNN.load's AbortSignal: every fetch stops with it
    this.doing = 'starting';  // what the load is at, for the message of an abort
  }

  // fetch's options: this load's signal, and `more`.
  init(more) {
    return this.signal || more ? { ...more, signal: this.signal } : undefined;
  }

  // Throws signal.reason once the load is aborted (WebDNN.load then says what was aborted);
  // backends call it between steps that no fetch would stop.
  throwIfAborted() {
    this.signal?.throwIfAborted();
  }

  async manifest() {
    // Always from the network (revalidating any HTTP cache): it says which versions are current.
    this.doing = 'reading manifest.json';
    const manifest = await fetchJson(join(this.dir, 'manifest.json'), 'manifest', this.init(this.cached ? { cache: 'no-cache' } : undefined));
    this.index = manifest?.files ?? {};
    return manifest;
  }

  // A descriptor (or any JSON file of the model) by name.
  async json(file, what = 'descriptor') {
    const location = join(this.dir, file);
    const crc32 = this.index[file]?.crc32;
    this.doing = `reading ${file}`;
    if (!this.cached || !crc32) return fetchJson(location, what, this.init());
    const text = await (await this.response(location, what, crc32)).text();
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${what} '${location}' is not valid JSON: ${e.message}`);
    }
  }

  // Streams weights file `file` (whose checksum is `crc32`): onChunk(Uint8Array) per piece,
  // onProgress(loaded, total) after each, from the cache or the network alike.
  async stream(file, what, total, crc32, onChunk, onProgress) {
    const location = join(this.weightDirectory, file);
    this.doing = `downloading ${file} (0 of ${total} bytes)`;
    const progress = (loaded) => {
      this.doing = `downloading ${file} (${loaded} of ${total} bytes)`;
      onProgress?.(loaded, total);
    };
    let loaded = 0;
    if (!this.cached || !crc32) {
      loaded = await streamBytes(location, what, total, onChunk, progress, this.signal);
    } else {
      await readResponse(await this.response(location, what, crc32), (chunk) => {
        loaded += chunk.length;
        onChunk(chunk);
        progress(loaded);
      }, { location, what, total, signal: this.signal });
    }
    this.doing = `preparing the model (${file} downloaded)`;
    return loaded;
  }

  // The cached response for this version of the file, or the network's, stored as it is read:
  // the cache gets what the reader took, no more, and nothing if the reader gives up.
  async response(location, what, crc32) {
    const cache = await caches.open(CACHE_NAME);
    const key = cacheKey(location, crc32);
    const hit = await cache.match(key);
    if (hit) return hit;
    const response = await open(location, what, this.init({ cache: 'no-cache' }));
    const headers = { 'Content-Type': response.headers.get('Content-Type') ?? 'application/octet-stream' };
    let copy;
    const toCache = new ReadableStream({ start: (c) => { copy = c; } });
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(c) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            copy.close();
            c.close();
          } else {
            copy.enqueue(value);
            c.enqueue(value);
          }
        } catch (e) {
          copy.error(e);
          c.error(e);
        }
      },
      cancel(reason) {
        copy.error(reason);
        return reader.cancel(reason);
      },
    });
    // A put that fails (a download cut or aborted, a full disk) only leaves the file uncached.
    const put = cache.put(key, new Response(toCache, { headers })).then(async () => {
      // Older versions of the same file are of no more use.
      for (const old of await cache.keys(key, { ignoreSearch: true })) if (old.url !== key) await cache.delete(old);
    }).catch(() => {});
    this.stored.push({ key, put, abandon: (reason) => { try { copy.error(reason); } catch { /* already closed */ } } });
    return new Response(body, { headers });
  }

  // Once the model has loaded: waits until what it stored is written (a full disk is no error:
  // the model just is not cached).
  async keep() {
    await Promise.all(this.stored.map(({ put }) => put));
    this.stored = [];
  }

  // Once a load failed: drops what it stored, which may be a corrupted download.
  async drop() {
    if (!this.stored.length) return;
    const cache = await caches.open(CACHE_NAME);
    await Promise.all(this.stored.map(({ key, put, abandon }) => {
      abandon(new Error('the model did not load'));
      return put.then(() => cache.delete(key));
    }));
    this.stored = [];
  }
}
