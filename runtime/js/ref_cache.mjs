// What the runners of one model's shapes share on a GPU (WebGPU pipelines, WebGL programs), made
// once and kept while a runner uses it. The symbolic runner keeps the last few shapes' runners;
// one that goes gives back what it took, so a page that meets hundreds of shapes holds the
// pipelines of the shapes it keeps, not of every shape it ever met.
export class RefCache {
  // `discard(value)` frees a value no runner uses any more (WebGL deletes the program).
  constructor(discard = () => {}) {
    this.entries = new Map();  // key -> { value, users }
    this.discard = discard;
  }

  get size() {
    return this.entries.size;
  }

  // The sum of `bytes` over the values kept (WebDNN's gpuWeightBytes(): values {bytes, ...}).
  keptBytes() {
    let total = 0;
    for (const { value } of this.entries.values()) total += value.bytes;
    return total;
  }

  get(key) {
    return this.entries.get(key)?.value;
  }

  // The value kept for `key`, or make()'s, kept from now on; either way one more user, until a
  // release(key, value).
  take(key, make) {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: make(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    return entry.value;
  }

  // One user fewer of `value` under `key` (another value made since under the same key, after
  // this one was dropped, is left alone); the last one discards it.
  release(key, value) {
    const entry = this.entries.get(key);
    if (!entry || entry.value !== value || --entry.users > 0) return;
    this.entries.delete(key);
    this.discard(value);
  }

  // One runner's share of the cache: take() as above, remembering what it took; release() gives it
  // all back (once: the next call gives back only what was taken since).
  holder() {
    const taken = [];  // [key, value]
    return {
      take: (key, make) => {
        const value = this.take(key, make);
        taken.push([key, value]);
        return value;
      },
      release: () => {
        for (const [key, value] of taken.splice(0)) this.release(key, value);
      },
    };
  }

  // Forgets `value` (one that failed), whoever uses it.
  drop(key, value) {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  // Every value, discarded (the context or device goes).
  clear() {
    for (const { value } of this.entries.values()) this.discard(value);
    this.entries.clear();
  }
}
