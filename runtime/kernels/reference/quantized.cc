// Reference MatMulInteger, ConvInteger and MatMulNBits.
#include <cstring>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// t's values less its zero point `zp` (one value, or one per row of `rows` / per column of
// `cols` as `per_row` says), as int32.
std::vector<int32_t> less_zero_point(const Tensor& t, const Tensor& zp, bool per_row, int64_t rows, int64_t cols) {
  std::vector<int32_t> out(static_cast<size_t>(t.size()));
  for (int64_t i = 0; i < t.size(); i++) {
    int64_t z = zp.size() == 1 ? 0 : per_row ? (i / cols) % rows : i % cols;
    out[i] = static_cast<int32_t>(load(t.bytes.data(), t.dtype, i) - load(zp.bytes.data(), zp.dtype, z));
  }
  return out;
}

void matmul_integer(const params::MatMulInteger&, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const MatMulShape m = matmul_shape(in[0].shape, in[1].shape);
  const int64_t M = m.M, K = m.K, N = m.N;
  std::vector<int32_t> a = less_zero_point(in[0], in[2], true, M, K), b = less_zero_point(in[1], in[3], false, K, N);
  int32_t* y = out[0].data<int32_t>();
  int64_t i = 0;
  for_each_index(m.batch, [&](const std::vector<int64_t>& index) {
    int64_t oa = 0, ob = 0;
    for (size_t d = 0; d < index.size(); d++) oa += index[d] * m.a_strides[d], ob += index[d] * m.b_strides[d];
    const int32_t *pa = a.data() + oa * M * K, *pb = b.data() + ob * K * N;
    int32_t* py = y + i++ * M * N;
    for (int64_t r = 0; r < M; r++)
      for (int64_t c = 0; c < N; c++) {
        // int32 wraps as onnxruntime's accumulators do; unsigned arithmetic makes that defined.
        uint32_t sum = 0;
        for (int64_t k = 0; k < K; k++) sum += static_cast<uint32_t>(pa[r * K + k] * pb[k * N + c]);
        py[r * N + c] = static_cast<int32_t>(sum);
      }
  });
}

void conv_integer(const params::Conv& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const Tensor &x = in[0], &w = in[1];
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t M = w.shape[0], CG = w.shape[1], KH = w.shape[2], KW = w.shape[3];
  const int64_t OH = out[0].shape[2], OW = out[0].shape[3], MG = M / p.group;
  std::vector<int32_t> xs = less_zero_point(x, in[2], false, 1, 1), ws = less_zero_point(w, in[3], true, M, CG * KH * KW);
  const params::Window& win = p.window;
  int32_t* y = out[0].data<int32_t>();
  for (int64_t n = 0; n < N; n++)
    for (int64_t m = 0; m < M; m++)
      for (int64_t oy = 0; oy < OH; oy++)
        for (int64_t ox = 0; ox < OW; ox++) {
          uint32_t sum = 0;  // wraps as int32 would
          for (int64_t c = 0; c < CG; c++)
            for (int64_t ky = 0; ky < KH; ky++)
              for (int64_t kx = 0; kx < KW; kx++) {
                int64_t iy = oy * win.strides[0] - win.pads[0] + ky * win.dilations[0];
                int64_t ix = ox * win.strides[1] - win.pads[1] + kx * win.dilations[1];
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;  // padding: x less its zero point is 0
                int64_t ci = (m / MG) * CG + c;
                sum += static_cast<uint32_t>(xs[((n * C + ci) * H + iy) * W + ix] * ws[((m * CG + c) * KH + ky) * KW + kx]);
              }
          y[((n * M + m) * OH + oy) * OW + ox] = static_cast<int32_t>(sum);
        }
}

void matmul_nbits(const params::MatMulNBits& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const int64_t K = p.K, N = in[1].shape[0], blocks = p.blocks(), bytes = p.block_bytes();
  const int64_t rows = in[0].size() / K;
  const uint8_t* q = in[1].data<uint8_t>();
  const float *a = in[0].data<float>(), *scales = in[2].data<float>(), *zero = in[3].data<float>();
  const float* bias = in.size() > 4 ? in[4].data<float>() : nullptr;
  const int per_byte = static_cast<int>(8 / p.bits);
  const unsigned mask = (1u << p.bits) - 1;
  float* y = out[0].data<float>();
  std::vector<float> w(static_cast<size_t>(K));
  for (int64_t n = 0; n < N; n++) {
    // Row n of W, dequantized block by block: (q - zero point) * scale.
    for (int64_t k = 0; k < K; k++) {
      int64_t b = k / p.block_size, j = k % p.block_size;
      unsigned byte = q[(n * blocks + b) * bytes + j / per_byte];
      float value = static_cast<float>((byte >> (p.bits * (j % per_byte))) & mask);
      w[k] = (value - zero[n * blocks + b]) * scales[n * blocks + b];
    }
    for (int64_t r = 0; r < rows; r++) {
      float sum = 0;
      for (int64_t k = 0; k < K; k++) sum += a[r * K + k] * w[k];
      y[r * N + n] = sum + (bias ? bias[n] : 0.0f);
    }
  }
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("MatMulInteger", params::infer_matmul_integer, matmul_integer);
WEBDNN_REFERENCE_KERNEL("ConvInteger", params::infer_conv_integer, conv_integer);
WEBDNN_REFERENCE_KERNEL("MatMulNBits", params::infer_matmul_nbits, matmul_nbits);

}  // namespace webdnn::runtime::reference
