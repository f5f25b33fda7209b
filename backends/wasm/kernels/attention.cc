// "wasm.Attention": Y = softmax(epilogue(Q . K')) . V (params::FusedAttention), a block of query
// rows at a time. The block's scores (rows x T) stay in the thread's cache through the epilogue,
// the softmax and the product with V: the whole S x T score matrix of a head (9 MB for Whisper's
// 1500 frames) is never written, where MatMul, Softmax and MatMul wrote and read it back three
// times. The softmax's division is left to the end, on Dv outputs per row instead of T scores.
// Inputs: Q [..., S, D], K' [..., D, T], V [..., T, Dv], the epilogue's extras; all row-major.
#include <algorithm>
#include <memory>

#include "backends/wasm/kernels/elementwise.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "backends/wasm/kernels/softmax_row.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class AttentionKernel : public runtime::Kernel {
 public:
  explicit AttentionKernel(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Attention", 3, 1, true);
    runtime::require_float32(spec, "wasm.Attention");
    params::FusedAttention p = params::FusedAttention::parse(spec.params);
    runtime::check_outputs(spec, params::infer_fused_attention(p, runtime::types_of(spec.inputs)));
    const runtime::TensorInfo &q = spec.inputs[0], &k = spec.inputs[1], &v = spec.inputs[2], &y = spec.outputs[0];
    WEBDNN_CHECK(q.is_contiguous() && k.is_contiguous() && v.is_contiguous() && y.is_contiguous(),
                 "wasm.Attention needs row-major Q, K', V and Y");
    S_ = q.shape[q.shape.size() - 2], D_ = q.shape.back(), T_ = k.shape.back(), Dv_ = y.shape.back();
    const Shape batch(y.shape.begin(), y.shape.end() - 2);
    Shape scores = batch;
    scores.insert(scores.end(), {S_, T_});
    // The rule fuses only where each batch of Y has its own scores (V broadcast, if at all).
    WEBDNN_CHECK(params::MatMul{}.output(q.shape, k.shape) == scores, "wasm.Attention: the scores of Q ",
                 shape_to_string(q.shape), " . K' ", shape_to_string(k.shape), " are not one per batch of Y ",
                 shape_to_string(y.shape));
    q_at_ = batch_offsets(q, batch), k_at_ = batch_offsets(k, batch), v_at_ = batch_offsets(v, batch);
    if (p.epilogue.expr && num_elements(scores) > 0) {
      runtime::TensorInfo s{DType::Float32, scores, contiguous_strides(scores)};
      std::vector<runtime::TensorInfo> inputs = {s};
      inputs.insert(inputs.end(), spec.inputs.begin() + 3, spec.inputs.end());
      epilogue_ = std::make_unique<ElementwiseProgram>(*p.epilogue.expr, inputs, s);
    }
    extras_ = spec.inputs.size() - 3;
    // Rows per block: their scores about 256 KB, within L2 beside a panel of K' or V. Fewer rows
    // read K' and V from L2 more often (Whisper's heads natively: 4 rows 175 ms, 10 rows 128,
    // 42 rows 122).
    rows_ = std::clamp<int64_t>(65536 / std::max<int64_t>(T_, 1) / kMR * kMR, kMR, 64);
  }

  void run(void* const* in, void* const* out) override {
    const float *q = static_cast<const float*>(in[0]), *k = static_cast<const float*>(in[1]),
                *v = static_cast<const float*>(in[2]);
    float* y = static_cast<float*>(out[0]);
    const int64_t batches = static_cast<int64_t>(q_at_.size());
    if (T_ == 0) {  // no keys: empty sums
      std::fill(y, y + batches * S_ * Dv_, 0.0f);
      return;
    }
    // K' and V of every batch packed once, read by every thread (the calling thread's slot 3).
    const int64_t pk = packed_b_size(D_, T_), per_batch = pk + packed_b_size(T_, Dv_);
    float* packed = scratch(static_cast<size_t>(batches * per_batch), 3);
    runtime::parallel_for(batches, 1, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; i++) {
        pack_b(k + k_at_[i], D_, T_, T_, 1, packed + i * per_batch);
        pack_b(v + v_at_[i], T_, Dv_, Dv_, 1, packed + i * per_batch + pk);
      }
    });
    const int64_t blocks = (S_ + rows_ - 1) / rows_;
    runtime::parallel_for(batches * blocks, 1, [&](int64_t j0, int64_t j1) {
      float* s = scratch(static_cast<size_t>(rows_ * T_));
      std::vector<const void*> args(1 + extras_, s);
      for (size_t e = 0; e < extras_; e++) args[1 + e] = in[3 + e];
      std::vector<float> inverse(static_cast<size_t>(rows_));
      for (int64_t j = j0; j < j1; j++) {
        const int64_t i = j / blocks, r0 = j % blocks * rows_, rows = std::min(rows_, S_ - r0);
        const float* panels = packed + i * per_batch;
        gemm_rows(0, rows, T_, D_, q + q_at_[i] + r0 * D_, D_, panels, {s, T_});
        const int64_t first = (i * S_ + r0) * T_;
        if (epilogue_) epilogue_->run(args.data(), s, first, first + rows * T_, first);
        for (int64_t r = 0; r < rows; r++) {
          float* row = s + r * T_;
          inverse[static_cast<size_t>(r)] = static_cast<float>(1.0 / exp_sum(row, row, T_, row_max(row, T_)));
        }
        float* o = y + (i * S_ + r0) * Dv_;
        gemm_rows(0, rows, Dv_, T_, s, T_, panels + pk, {o, Dv_});
        for (int64_t r = 0; r < rows; r++) scale_row(o + r * Dv_, Dv_, inverse[static_cast<size_t>(r)]);
      }
    });
  }

 private:
  int64_t S_, D_, T_, Dv_, rows_;
  std::vector<int64_t> q_at_, k_at_, v_at_;
  std::unique_ptr<ElementwiseProgram> epilogue_;
  size_t extras_ = 0;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Attention", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<AttentionKernel>(spec);
});

}  // namespace webdnn::wasm
