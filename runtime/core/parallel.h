// Splitting kernel work across threads. Builds without threads (the single-threaded wasm and the
// JavaScript fallback) run everything on the calling thread.
#pragma once
#include <cstdint>
#include <functional>

namespace webdnn::runtime {

// Number of threads kernels may use, the caller included (1 without thread support).
void set_num_threads(int n);
int num_threads();

// Calls fn(begin, end) over [0, n) cut into a few contiguous pieces per thread, each of at least
// `grain` items, in parallel, and returns when all are done.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace webdnn::runtime
