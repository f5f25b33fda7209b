// Parameters and signatures of the integer operators (webdnn/params.h): MatMulInteger and
// MatMulNBits.
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::params {

MatMulInteger MatMulInteger::parse(const Json& j) {
  Reader r(j);
  (void)r;
  return {};
}

Json MatMulInteger::to_json() const { return Json::object(); }

MatMulNBits MatMulNBits::parse(const Json& j) {
  Reader r(j);
  MatMulNBits p;
  p.K = r.integer("K", 1, kMaxExtent);
  p.bits = r.integer("bits", 2, 8);
  p.block_size = r.integer("block_size", 16, 1 << 16);
  // Whole bytes per block, so that every block starts on a byte.
  WEBDNN_CHECK((p.bits == 2 || p.bits == 4 || p.bits == 8) && (p.block_size & (p.block_size - 1)) == 0,
               "parameters 'bits' ", p.bits, " and 'block_size' ", p.block_size,
               ": bits 2, 4 or 8 and a power-of-two block size of 16 or more are expected");
  return p;
}

Json MatMulNBits::to_json() const { return {{"K", K}, {"bits", bits}, {"block_size", block_size}}; }

namespace {

bool integer(DType t) { return t != DType::Float32 && t != DType::Bool; }

// A zero point: a scalar (or one value), or a vector of `extent` values.
template <class S>
void require_zero_point(const BasicTensorType<S>& t, const typename S::value_type& extent, const char* what) {
  WEBDNN_CHECK(integer(t.dtype), what, " is ", dtype_name(t.dtype), "; an integer type is expected");
  bool one = t.shape.empty() || (t.shape.size() == 1 && t.shape[0] == 1);
  WEBDNN_CHECK(one || (t.shape.size() == 1 && t.shape[0] == extent), what, " is ", shape_to_string(t.shape),
               "; a scalar or [", extent, "] is expected");
}

}  // namespace

template <class S>
TypesOf<S> infer_matmul_integer(const MatMulInteger&, const TypesOf<S>& in) {
  require_inputs(in, 4, 4);
  for (size_t i = 0; i < 2; i++)
    WEBDNN_CHECK(integer(in[i].dtype), "input ", describe(in[i], i), " is ", dtype_name(in[i].dtype),
                 "; an integer type is expected");
  const S &a = in[0].shape, &b = in[1].shape;
  WEBDNN_CHECK(a.size() >= 2 && b.size() >= 2, "MatMulInteger takes A and B of rank 2 or more (", shape_to_string(a),
               ", ", shape_to_string(b), ")");
  require_zero_point(in[2], a[a.size() - 2], "A's zero point");
  require_zero_point(in[3], b[b.size() - 1], "B's zero point");
  return {{DType::Int32, MatMul{}.output(a, b)}};
}

template <class S>
TypesOf<S> infer_conv_integer(const Conv& p, const TypesOf<S>& in) {
  require_inputs(in, 4, 4);
  WEBDNN_CHECK(!p.epilogue.expr, "ConvInteger takes no epilogue");
  for (size_t i = 0; i < 2; i++)
    WEBDNN_CHECK(integer(in[i].dtype), "input ", describe(in[i], i), " is ", dtype_name(in[i].dtype),
                 "; an integer type is expected");
  S y = p.output(in[0].shape, in[1].shape);
  require_zero_point(in[2], typename S::value_type(1), "X's zero point");
  require_zero_point(in[3], in[1].shape[0], "W's zero point");
  return {{DType::Int32, y}};
}

template <class S>
TypesOf<S> infer_matmul_nbits(const MatMulNBits& p, const TypesOf<S>& in) {
  require_inputs(in, 4, 5);
  const S& a = in[0].shape;
  WEBDNN_CHECK(in[0].dtype == DType::Float32 && !a.empty() && a.back() == p.K, "input A is ", dtype_name(in[0].dtype), " ",
               shape_to_string(a), "; float32 [..., ", p.K, "] is expected");
  const S& b = in[1].shape;
  WEBDNN_CHECK(in[1].dtype == DType::UInt8 && b.size() == 3 && b[1] == p.blocks() && b[2] == p.block_bytes(),
               "input B is ", dtype_name(in[1].dtype), " ", shape_to_string(b), "; uint8 [N, ", p.blocks(), ", ",
               p.block_bytes(), "] is expected");
  S per_block{b[0], b[1]};
  for (size_t i = 2; i < 4; i++)
    WEBDNN_CHECK(in[i].dtype == DType::Float32 && in[i].shape == per_block, i == 2 ? "scales" : "zero points", " are ",
                 dtype_name(in[i].dtype), " ", shape_to_string(in[i].shape), "; float32 ", shape_to_string(per_block),
                 " is expected");
  if (in.size() > 4)
    WEBDNN_CHECK(in[4].dtype == DType::Float32 && in[4].shape == S{b[0]}, "the bias is ", dtype_name(in[4].dtype), " ",
                 shape_to_string(in[4].shape), "; float32 [", b[0], "] is expected");
  S y(a.begin(), a.end() - 1);
  y.push_back(b[0]);
  return {{DType::Float32, y}};
}

#define WEBDNN_QUANT_SIGNATURES(S)                                                         \
  template TypesOf<S> infer_matmul_integer(const MatMulInteger&, const TypesOf<S>&); \
  template TypesOf<S> infer_conv_integer(const Conv&, const TypesOf<S>&);             \
  template TypesOf<S> infer_matmul_nbits(const MatMulNBits&, const TypesOf<S>&);
WEBDNN_QUANT_SIGNATURES(Shape)
WEBDNN_QUANT_SIGNATURES(DimShape)

}  // namespace webdnn::params
