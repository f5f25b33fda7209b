// Reference MatMul and Gemm.
#include "runtime/kernels/reference/reference.h"

namespace webdnn::runtime::reference {
namespace {

// C[m,n] (+)= sum_k A[m*sam + k*sak] * B[k*sbk + n*sbn], n innermost so it vectorizes when sbn == 1.
void product(const float* a, int64_t sam, int64_t sak, const float* b, int64_t sbk, int64_t sbn, float* c,
             int64_t M, int64_t N, int64_t K) {
  for (int64_t m = 0; m < M; m++) {
    float* row = c + m * N;
    for (int64_t k = 0; k < K; k++) {
      float av = a[m * sam + k * sak];
      const float* br = b + k * sbk;
      if (sbn == 1)
        for (int64_t n = 0; n < N; n++) row[n] += av * br[n];
      else
        for (int64_t n = 0; n < N; n++) row[n] += av * br[n * sbn];
    }
  }
}

void matmul(const params::MatMul& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  const MatMulShape m = matmul_shape(in[0].shape, in[1].shape);
  const int64_t M = m.M, K = m.K, N = m.N;
  const Shape &batch = m.batch, &sa = m.a_strides, &sb = m.b_strides;
  float* y = out[0].data<float>();
  std::fill(y, y + out[0].size(), 0.0f);
  int64_t i = 0;
  for_each_index(batch, [&](const std::vector<int64_t>& index) {
    int64_t oa = 0, ob = 0;
    for (size_t d = 0; d < index.size(); d++) {
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
    }
    product(in[0].data<float>() + oa * M * K, K, 1, in[1].data<float>() + ob * K * N, N, 1, y + i * M * N, M, N, K);
    i++;
  });
  apply_epilogue(p.epilogue, in, 2, out[0]);
}

// By definition the composition it replaces: MatMul with the epilogue, Softmax, MatMul.
void fused_attention(const params::FusedAttention& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  std::vector<Tensor> first = {in[0], in[1]};
  first.insert(first.end(), in.begin() + 3, in.end());
  std::vector<Tensor> scores = {Tensor(DType::Float32, params::MatMul{}.output(in[0].shape, in[1].shape))};
  matmul(params::MatMul{p.epilogue, {}}, first, scores);
  Tensor probs(DType::Float32, scores[0].shape);
  softmax_along(scores[0], scores[0].shape.size() - 1, false, probs);
  matmul(params::MatMul{}, {probs, in[2]}, out);
}

void gemm(const params::Gemm& p, const std::vector<Tensor>& in, std::vector<Tensor>& out) {
  bool ta = p.trans_a, tb = p.trans_b;
  float alpha = static_cast<float>(p.alpha), beta = static_cast<float>(p.beta);
  int64_t M = out[0].shape[0], N = out[0].shape[1];
  int64_t K = ta ? in[0].shape[0] : in[0].shape[1];
  float* y = out[0].data<float>();
  std::fill(y, y + M * N, 0.0f);
  product(in[0].data<float>(), ta ? 1 : K, ta ? M : 1, in[1].data<float>(), tb ? 1 : N, tb ? K : 1, y, M, N, K);
  Shape c_strides;
  if (in.size() > 2) c_strides = broadcast_strides(in[2].shape, contiguous_strides(in[2].shape), {M, N});
  for (int64_t m = 0; m < M; m++)
    for (int64_t n = 0; n < N; n++) {
      float c = in.size() > 2 ? in[2].data<float>()[m * c_strides[0] + n * c_strides[1]] : 0.0f;
      y[m * N + n] = alpha * y[m * N + n] + beta * c;
    }
  apply_epilogue(p.epilogue, in, 3, out[0]);
}

}  // namespace

WEBDNN_REFERENCE_KERNEL("MatMul", params::infer_matmul, matmul);
WEBDNN_REFERENCE_KERNEL("Gemm", params::infer_gemm, gemm);
WEBDNN_REFERENCE_KERNEL("FusedAttention", params::infer_fused_attention, fused_attention);

}  // namespace webdnn::runtime::reference
