// Handlers of ONNX operators that pick values by position: Trilu, OneHot, Hardmax. Each compares
// positions (a constant index table) with its input and selects with Where, so they are
// elementwise operators that every backend runs and fusion merges with their neighbours.
#include "src/frontend/onnx/node_context.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

// A scalar constant of `dtype` holding `v`.
Tensor scalar_of(DType dtype, double v) {
  if (dtype == DType::Float32) return Tensor::scalar(static_cast<float>(v));
  return Tensor::from_ints({}, {static_cast<int64_t>(v)}, dtype);
}

// The tables below are built at convert time and shipped as weights: a bound far above what any
// real model needs (a vocabulary, a sequence) keeps a corrupt depth or shape from asking for
// terabytes.
constexpr int64_t kMaxTableElements = int64_t{1} << 26;

void check_table(int64_t elements, const char* what) {
  WEBDNN_CHECK(elements <= kMaxTableElements, what, " would need a constant table of ", elements,
               " elements; WebDNN builds at most ", kMaxTableElements);
}

// The int64 constant 0, 1, ..., size-1 laid along axis `axis` of a tensor of rank `rank` (every
// other axis 1), to compare with indices that broadcast against it.
Tensor positions(int64_t size, int axis, int rank) {
  check_table(size, "the positions");
  Shape shape(rank, 1);
  shape[axis] = size;
  std::vector<int64_t> v(size);
  for (int64_t i = 0; i < size; i++) v[i] = i;
  return Tensor::from_ints(shape, v);
}

int64_t fixed(const ir::Variable* x, int axis, const char* why) {
  auto n = x->dims[axis].constant();
  WEBDNN_CHECK(n, "axis ", axis, " of input '", x->name, "' is the free dimension ", x->dims[axis].to_string(), "; ",
               why, " needs a fixed size there (pin it with --input-shape)");
  return *n;
}

}  // namespace

// The upper (j - i >= k) or lower (j - i <= k) triangle of the last two axes, zeros elsewhere.
WEBDNN_ONNX_HANDLER(Trilu) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->rank() >= 2, "input '", x->name, "' has rank ", x->rank(), "; Trilu needs at least 2 axes");
  int64_t k = 0;
  if (ctx.input(1)) {
    std::vector<int64_t> ks = ctx.constant_ints(1, "k");
    WEBDNN_CHECK(ks.size() == 1, "k must hold one value, not ", ks.size());
    k = ks[0];
  }
  bool upper = ctx.attr_int("upper", 1) != 0;
  int64_t rows = fixed(x, x->rank() - 2, "Trilu"), cols = fixed(x, x->rank() - 1, "Trilu");
  check_table(checked_size_mul(rows, cols), "Trilu's mask");
  Tensor mask(DType::Bool, {rows, cols});
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) mask.bytes[i * cols + j] = upper ? j - i >= k : j - i <= k;
  ir::Variable* zero = ctx.add_constant(scalar_of(x->dtype, 0));
  ctx.set_output(0, ctx.add("Where", {}, {ctx.add_constant(std::move(mask)), x, zero}));
}

// values[1] where the index equals the position along the new axis, values[0] elsewhere. Negative
// indices count from depth; indices outside [-depth, depth) give a row of values[0].
WEBDNN_ONNX_HANDLER(OneHot) {
  ir::Variable* indices = ctx.required_input(0);
  std::vector<float> depth_value = ctx.constant_floats(1, "depth");
  WEBDNN_CHECK(depth_value.size() == 1, "depth must hold one value, not ", depth_value.size());
  // Checked as a float first: casting one beyond int64's range is undefined.
  WEBDNN_CHECK(depth_value[0] >= 1 && depth_value[0] <= kMaxTableElements, "depth must be in [1, ",
               kMaxTableElements, "], not ", depth_value[0]);
  auto depth = static_cast<int64_t>(depth_value[0]);
  Tensor values = ctx.constant_input(2, "values");
  WEBDNN_CHECK(values.shape == Shape{2}, "values must be [off_value, on_value], not of shape ",
               shape_to_string(values.shape));
  int rank = indices->rank() + 1;
  int axis = normalize_axis(ctx.attr_int("axis", -1), rank);

  ir::Variable* idx = indices;
  if (idx->dtype != DType::Int64) idx = ctx.add("Cast", {{"to", "int64"}}, {idx});  // floats truncate, as onnxruntime
  ir::Variable* depth_c = ctx.add_constant(Tensor::from_ints({}, {depth}));
  ir::Variable* negative = ctx.add("Less", {}, {idx, ctx.add_constant(Tensor::from_ints({}, {0}))});
  idx = ctx.add("Where", {}, {negative, ctx.add("Add", {}, {idx, depth_c}), idx});
  DimShape with_axis = idx->dims;
  with_axis.insert(with_axis.begin() + axis, Dim(1));
  idx = ctx.add("Reshape", {{"shape", params::dims_json(with_axis)}}, {idx});
  ir::Variable* hot = ctx.add("Equal", {}, {idx, ctx.add_constant(positions(depth, axis, rank))});
  ir::Variable* off = ctx.add_constant(scalar_of(values.dtype, values.as_double(0)));
  ir::Variable* on = ctx.add_constant(scalar_of(values.dtype, values.as_double(1)));
  ctx.set_output(0, ctx.add("Where", {}, {hot, on, off}));
}

// 1 at the first maximum along the axis, 0 elsewhere. Before opset 13 the input is the matrix
// [d0*...*d(axis-1), d(axis)*...] (as Softmax), done on that matrix reshaped to and fro.
WEBDNN_ONNX_HANDLER(Hardmax) {
  ir::Variable* x = ctx.required_input(0);
  WEBDNN_CHECK(x->dtype == DType::Float32, "input '", x->name, "' is ", dtype_name(x->dtype), "; it must be float32");
  WEBDNN_CHECK(x->rank() >= 1, "input '", x->name, "' is a scalar; Hardmax needs an axis");
  bool flatten = ctx.opset() < 13;
  int axis = normalize_axis(ctx.attr_int("axis", flatten ? 1 : -1), x->rank());
  ir::Variable* v = x;
  if (flatten) {
    Dim rows(1), cols(1);
    for (int a = 0; a < x->rank(); a++) (a < axis ? rows : cols) *= x->dims[a];
    v = ctx.add("Reshape", {{"shape", params::dims_json({rows, cols})}}, {x});
    axis = 1;
  }
  int64_t size = fixed(v, axis, "Hardmax");
  Json arg = {{"axis", axis}, {"keepdims", 1}, {"select_last_index", 0}};
  ir::Variable* best = ctx.add("ArgMax", arg, {v});
  ir::Variable* hot = ctx.add("Equal", {}, {best, ctx.add_constant(positions(size, axis, v->rank()))});
  ir::Variable* y = ctx.add("Cast", {{"to", "float32"}}, {hot});
  if (flatten) y = ctx.add("Reshape", {{"shape", params::dims_json(x->dims)}}, {y});
  ctx.set_output(0, y);
}

}  // namespace webdnn::onnx_frontend
