// "wasm.MatMul": Y = A . B over batch axes that broadcast (numpy), for a B that is not a constant
// (attention's Q.K' and P.V, whose "weights" are activations): each batch's B is packed into
// panels at run time, which costs K x N against the M x K x N of the product, then goes through
// the same GEMM tiles as wasm.Gemm. Inputs: A [..., M, K], B [..., K, N], both row-major, extras
// of the epilogue.
#include <algorithm>

#include "backends/wasm/kernels/epilogue.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class MatMulKernel : public runtime::Kernel {
 public:
  explicit MatMulKernel(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.MatMul", 2, 1, true);
    runtime::require_float32(spec, "wasm.MatMul");
    const runtime::TensorInfo &a = spec.inputs[0], &b = spec.inputs[1], &y = spec.outputs[0];
    WEBDNN_CHECK(a.rank() >= 2 && b.rank() >= 2 && y.rank() == std::max(a.rank(), b.rank()) && a.is_contiguous() &&
                     b.is_contiguous() && y.is_contiguous(),
                 "wasm.MatMul needs A [...,M,K] and B [...,K,N] of rank 2 or more, and Y, all row-major");
    M_ = a.shape[a.rank() - 2], K_ = a.shape[a.rank() - 1], N_ = b.shape[b.rank() - 1];
    WEBDNN_CHECK(b.shape[b.rank() - 2] == K_ && y.shape[y.rank() - 2] == M_ && y.shape[y.rank() - 1] == N_,
                 "wasm.MatMul: A ", shape_to_string(a.shape), " and B ", shape_to_string(b.shape), " do not make Y ",
                 shape_to_string(y.shape));
    // Each batch of Y and where its A and B start: a batch axis of extent 1 repeats.
    const Shape batch(y.shape.begin(), y.shape.end() - 2);
    a_at_ = batch_offsets(a, batch);
    b_at_ = batch_offsets(b, batch);
    epilogue_ = Epilogue::from(spec, 2);
  }

  void run(void* const* in, void* const* out) override {
    const float *a = static_cast<const float*>(in[0]), *b = static_cast<const float*>(in[1]);
    float* y = static_cast<float*>(out[0]);
    const float* residual = epilogue_.residual_data(in);
    const int64_t batches = static_cast<int64_t>(a_at_.size()), packed = packed_b_size(K_, N_);
    auto output = [&](int64_t i) {
      int64_t at = i * M_ * N_;
      return GemmOutput{y + at, N_, nullptr, epilogue_.lo, epilogue_.hi, residual ? residual + at : nullptr};
    };
    if (batches >= runtime::num_threads()) {
      // Enough batches for every thread: each packs its own B and multiplies it alone.
      runtime::parallel_for(batches, 1, [&](int64_t i0, int64_t i1) {
        float* panels = scratch(static_cast<size_t>(packed));
        for (int64_t i = i0; i < i1; i++) {
          pack_b(b + b_at_[i], K_, N_, N_, 1, panels);
          gemm_rows(0, M_, N_, K_, a + a_at_[i], K_, panels, output(i));
        }
      });
    } else {
      // One batch at a time, its rows (or columns) shared by the threads.
      float* panels = scratch(static_cast<size_t>(packed));
      for (int64_t i = 0; i < batches; i++) {
        pack_b(b + b_at_[i], K_, N_, N_, 1, panels);
        gemm(M_, N_, K_, a + a_at_[i], K_, panels, output(i));
      }
    }
    epilogue_.finish(in, y, 0, batches * M_ * N_);
  }

 private:
  int64_t M_, N_, K_;
  std::vector<int64_t> a_at_, b_at_;
  Epilogue epilogue_;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.MatMul", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<MatMulKernel>(spec);
});

}  // namespace webdnn::wasm
