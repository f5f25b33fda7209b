#include "runtime/core/parallel.h"

#include <algorithm>

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define WEBDNN_NO_THREADS 1
#endif

#ifndef WEBDNN_NO_THREADS
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace webdnn::runtime {

#ifdef WEBDNN_NO_THREADS

void set_num_threads(int) {}
int num_threads() { return 1; }

void parallel_for(int64_t n, int64_t, const std::function<void(int64_t, int64_t)>& fn) {
  if (n > 0) fn(0, n);
}

#else

namespace {

// Workers sleep until a job is posted, take pieces of it by an atomic counter, and the poster
// takes pieces too, then waits until every piece is finished.
class Pool {
 public:
  ~Pool() { resize(0); }

  void resize(int workers) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    stop_ = false;
    for (int i = 0; i < workers; i++) threads_.emplace_back([this] { work(); });
  }

  int workers() const { return static_cast<int>(threads_.size()); }

  void run(int pieces, const std::function<void(int)>& piece) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &piece;
      pieces_ = pieces;
      next_.store(0);
      done_ = 0;
      generation_++;
    }
    wake_.notify_all();
    take_pieces();
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return done_ == pieces_; });
    job_ = nullptr;
  }

 private:
  void take_pieces() {
    int finished = 0;
    for (int i; (i = next_.fetch_add(1)) < pieces_; finished++) (*job_)(i);
    if (finished == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ += finished;
    if (done_ == pieces_) finished_.notify_all();
  }

  void work() {
    uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || (generation_ != seen && job_); });
        if (stop_) return;
        seen = generation_;
      }
      take_pieces();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  const std::function<void(int)>* job_ = nullptr;
  std::atomic<int> next_{0};
  int pieces_ = 0, done_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void set_num_threads(int n) {
  n = std::max(1, n);
  if (n - 1 != pool().workers()) pool().resize(n - 1);
}

int num_threads() { return pool().workers() + 1; }

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  // A few pieces per thread, taken in turn: when one thread is held up (the browser's own work
  // shares the cores) the others take over its share instead of waiting for it.
  constexpr int64_t kPiecesPerThread = 4;
  int64_t most = num_threads() == 1 ? 1 : num_threads() * kPiecesPerThread;
  int64_t pieces = std::min<int64_t>(most, (n + std::max<int64_t>(grain, 1) - 1) / std::max<int64_t>(grain, 1));
  if (pieces <= 1) {
    fn(0, n);
    return;
  }
  pool().run(static_cast<int>(pieces), [&](int i) { fn(n * i / pieces, n * (i + 1) / pieces); });
}

#endif

}  // namespace webdnn::runtime
