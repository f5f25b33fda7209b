// One run at a time per runner. A GPU run is asynchronous: a second run() started before the
// first finished would overwrite its staging buffers and read-backs. Calls queue in order
// instead: each starts once the one before has settled, and reads the inputs as they are then.
// An idle runner starts at once, so that inputs set just before run() are the ones used.
// `fn` is async; each runner makes its own queue (oneAtATime(() => ...) in its constructor).
export function oneAtATime(fn) {
  let last = null;  // the latest call, while it is unsettled
  return (...args) => {
    const start = () => fn(...args);
    const call = last ? last.then(start, start) : start();
    const settled = call.catch(() => {}).then(() => {
      if (last === settled) last = null;
    });
    last = settled;
    return call;
  };
}
