// "wasm.MatMulNBits": Y [..., N] = A [..., K] . W' + bias with W held as `bits`-bit blocks
// (params::MatMulNBits). W is never whole in float32: each thread dequantizes one panel of
// kNR columns (K x kNR floats, as pack_b lays out a panel) and runs the float GEMM's tiles over
// every row of A with it, then the next panel. Inputs: A row-major, the packed weight (uint8
// [N, blocks, block bytes]), scales and zero points (float32 [N, blocks]), bias [N].
#include <algorithm>

#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/scratch.h"
#include "runtime/core/kernel.h"
#include "runtime/core/parallel.h"
#include "webdnn/error.h"

namespace webdnn::wasm {
namespace {

class MatMulNBitsKernel : public runtime::Kernel {
 public:
  explicit MatMulNBitsKernel(const runtime::KernelSpec& spec) : p_(params::MatMulNBits::parse(spec.params)) {
    runtime::require_counts(spec, "wasm.MatMulNBits", 5, 1);
    runtime::check_outputs(spec, params::infer_matmul_nbits(p_, runtime::types_of(spec.inputs)));
    const runtime::TensorInfo &a = spec.inputs[0], &y = spec.outputs[0];
    WEBDNN_CHECK(a.is_contiguous() && y.is_contiguous(), "wasm.MatMulNBits needs A and Y row-major");
    N_ = spec.inputs[1].shape[0];
    M_ = a.size() / p_.K;
  }

  void run(void* const* in, void* const* out) override {
    const auto* a = static_cast<const float*>(in[0]);
    const auto* q = static_cast<const uint8_t*>(in[1]);
    const auto *scales = static_cast<const float*>(in[2]), *zero = static_cast<const float*>(in[3]);
    const auto* bias = static_cast<const float*>(in[4]);
    auto* y = static_cast<float*>(out[0]);
    const int64_t panels = (N_ + kNR - 1) / kNR;
    runtime::parallel_for(panels, 1, [&](int64_t p0, int64_t p1) {
      float* panel = scratch(static_cast<size_t>(p_.K * kNR), 2);
      for (int64_t p = p0; p < p1; p++) {
        int64_t n0 = p * kNR, cols = std::min<int64_t>(kNR, N_ - n0);
        dequantize(q, scales, zero, n0, cols, panel);
        gemm_block(0, M_, 0, 1, cols, p_.K, a, p_.K, panel, {y + n0, N_, bias + n0});
      }
    });
  }

 private:
  // Columns [n0, n0 + cols) of W' as one GEMM panel [K][kNR] (missing columns 0), each weight
  // (q - zero point) * scale as the reference computes it.
  void dequantize(const uint8_t* q, const float* scales, const float* zero, int64_t n0, int64_t cols, float* panel) const {
    const int64_t blocks = p_.blocks(), bytes = p_.block_bytes(), K = p_.K;
    const int per_byte = static_cast<int>(8 / p_.bits), bits = static_cast<int>(p_.bits);
    const unsigned mask = (1u << bits) - 1;
    if (cols < kNR) std::fill(panel, panel + K * kNR, 0.0f);
    for (int64_t j = 0; j < cols; j++) {
      const int64_t n = n0 + j;
      for (int64_t b = 0; b < blocks; b++) {
        const uint8_t* block = q + (n * blocks + b) * bytes;
        const float s = scales[n * blocks + b], z = zero[n * blocks + b];
        const int64_t k0 = b * p_.block_size, k1 = std::min(K, k0 + p_.block_size);
        if (bits == 4) {  // two weights a byte, low nibble first: no division per weight
          float* at = panel + k0 * kNR + j;
          for (int64_t i = 0; i < k1 - k0; i += 2, at += 2 * kNR) {
            const unsigned byte = block[i / 2];
            at[0] = (static_cast<float>(byte & 15u) - z) * s;
            if (i + 1 < k1 - k0) at[kNR] = (static_cast<float>(byte >> 4) - z) * s;
          }
          continue;
        }
        for (int64_t k = k0; k < k1; k++) {
          int64_t i = k - k0;
          float value = static_cast<float>((block[i / per_byte] >> (bits * (i % per_byte))) & mask);
          panel[k * kNR + j] = (value - z) * s;
        }
      }
    }
  }

  params::MatMulNBits p_;
  int64_t M_ = 0, N_ = 0;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.MatMulNBits", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<MatMulNBitsKernel>(spec);
});

}  // namespace webdnn::wasm
