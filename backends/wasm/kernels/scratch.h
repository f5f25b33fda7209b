// Per-thread working memory for kernels, kept between runs: allocating (and zeroing) megabytes
// on every call costs as much as a small convolution.
#pragma once
#include <cstddef>
#include <memory>

namespace webdnn::wasm {

// At least `n` floats, uninitialized, owned by the calling thread; `slot` tells apart buffers
// one kernel needs at the same time. Slot 4 is the elementwise programs' (an epilogue runs inside
// kernels that hold the others).
inline float* scratch(size_t n, int slot = 0) {
  struct Buffer {
    std::unique_ptr<float[]> data;
    size_t size = 0;
  };
  thread_local Buffer buffers[5];
  Buffer& b = buffers[slot];
  if (b.size < n) {
    b.data.reset(new float[n]);
    b.size = n;
  }
  return b.data.get();
}

}  // namespace webdnn::wasm
