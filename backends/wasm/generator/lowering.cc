#include "backends/wasm/generator/lowering.h"

#include <cmath>
#include <cstring>
#include <set>

#include "backends/wasm/kernels/conv_pack.h"
#include "backends/wasm/kernels/elementwise.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/integer_gemm.h"
#include "runtime/kernels/reference/index_maps.h"
#include "src/emit/compress_weights.h"
#include "src/ops/schema.h"
#include "webdnn/params.h"

namespace webdnn::backends::wasm_backend {
namespace {

bool float32(const ir::Variable* v) { return v->dtype == DType::Float32; }

bool channels_last(const ir::Variable* v) {
  ir::Variable nhwc;
  nhwc.shape = v->shape;
  nhwc.order = {0, 2, 3, 1};
  Shape a = v->strides(), b = nhwc.strides();
  for (size_t i = 0; i < a.size(); i++)
    if (v->shape[i] > 1 && a[i] != b[i]) return false;
  return true;
}

Json call(const char* kernel, const ir::Operator& op, Json params, const Json& inputs, emit::VariableTable& table) {
  Json outs = Json::array();
  for (const ir::Variable* v : op.outputs) outs.push_back(table.index(v));
  return {{"kernel", kernel}, {"op", op.name}, {"params", std::move(params)}, {"inputs", inputs}, {"outputs", outs}};
}

// A weight whose values lie on integer grids, K x M (row k, output channel m), as its multiples of
// each channel's scale, row-major; `value_at(k, m)` reads it. Empty when a value is none (a rule
// changed the weight after the grid was recorded), a multiple passes int16, or sums of K products
// by input multiples (8-bit values less a zero point: at most 255) could pass int32.
template <class F>
std::vector<int32_t> grid_multiples(int64_t K, int64_t M, const params::IntegerGrid& grid, F value_at) {
  if (static_cast<int64_t>(grid.w_scales.size()) != M) return {};
  std::vector<int32_t> q(static_cast<size_t>(K * M));
  int64_t largest = 0;
  for (int64_t k = 0; k < K; k++)
    for (int64_t m = 0; m < M; m++) {
      const double v = value_at(k, m), scale = grid.w_scales[static_cast<size_t>(m)], n = std::nearbyint(v / scale);
      if (std::abs(n) > 32767 || std::abs(n * scale - v) > 1e-5 * std::abs(v)) return {};
      largest = std::max(largest, static_cast<int64_t>(std::abs(n)));
      q[static_cast<size_t>(k * M + m)] = static_cast<int32_t>(n);
    }
  return K * 255 * largest < (int64_t{1} << 31) ? q : std::vector<int32_t>{};
}

// The weight of a Conv whose operands lie on integer grids as grid_multiples, K in im2col order
// (taps outer, channels inner).
std::vector<int32_t> weight_multiples(const ir::Operator& op, const params::IntegerGrid& grid) {
  const Tensor w = op.inputs[1]->logical_data();
  const int64_t M = w.shape[0], C = w.shape[1], taps = w.shape[2] * w.shape[3];
  return grid_multiples(C * taps, M, grid, [&](int64_t k, int64_t m) { return w.as_double((m * C + k % C) * taps + k / C); });
}

// An integer weight (K x M multiples) as the kernels read it, int16 pairs in panels (pack_int_b),
// paired at load from the multiples, which the weights file holds as int8 where they fit.
int integer_weight(const std::string& name, const std::vector<int32_t>& multiples, int64_t K, int64_t M,
                   emit::VariableTable& table) {
  std::vector<int32_t> packed = wasm::pack_int_b(multiples, {0}, K, M);
  std::vector<float> words(packed.size()), source(multiples.size());
  std::memcpy(words.data(), packed.data(), sizeof(int32_t) * packed.size());
  for (int64_t k = 0; k < K; k++)
    for (int64_t m = 0; m < M; m++) source[static_cast<size_t>(m * K + k)] = static_cast<float>(multiples[static_cast<size_t>(k * M + m)]);
  return table.add_derived(name + ":integer", words, std::move(source), wasm::int_pack_transform(K, M), DType::Int32);
}

// x_scale * each channel's weight scale * `factor`: what turns an integer sum back into floats.
Tensor product_scales(const params::IntegerGrid& grid, double factor) {
  const int64_t M = static_cast<int64_t>(grid.w_scales.size());
  Tensor scales(DType::Float32, {M});
  for (int64_t m = 0; m < M; m++) scales.data<float>()[m] = static_cast<float>(grid.x_scale * grid.w_scales[static_cast<size_t>(m)] * factor);
  return scales;
}

// A quantized model's Conv in integers (wasm/kernels/conv_integer.cc), where its grids are known:
// 3x3 ones too, whose integer products beat Winograd's 2.25x fewer float ones (QDQ ResNet50
// natively: its 3x3 convolutions 49 ms in Winograd, 41 ms in integers; its 1x1 ones 108 -> 55 ms).
Json integer_conv(const ir::Operator& op, const params::Conv& p, const std::vector<int32_t>& multiples,
                  emit::VariableTable& table) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  const int64_t M = y->shape[1], K = static_cast<int64_t>(multiples.size()) / M;
  Json kernel_params = p.to_json();
  kernel_params.erase("integer_grid");
  kernel_params["x_scale"] = p.grid.x_scale;
  Json inputs = {table.index(x), integer_weight(op.inputs[1]->name, multiples, K, M, table),
                 table.add_data(op.name + ":scales", product_scales(p.grid, 1))};
  if (op.inputs.size() > 2) inputs.push_back(table.index(op.inputs[2]));
  else inputs.push_back(table.add_data(op.name + ":bias", Tensor(DType::Float32, {M})));
  for (size_t i = 3; i < op.inputs.size(); i++) inputs.push_back(table.index(op.inputs[i]));
  return call("wasm.IntegerConv", op, kernel_params, inputs, table);
}

// Conv on channels-last images with a constant float weight: weights packed for the algorithm.
Json conv(const ir::Operator& op, emit::VariableTable& table) {
  const ir::Variable *x = op.inputs[0], *w = op.inputs[1], *y = op.outputs[0];
  params::Conv p = params::Conv::parse(op.params);
  wasm::ConvShape s{x->shape[1], y->shape[1], w->shape[2], w->shape[3], p.group};
  wasm::ConvAlgorithm algorithm = wasm::conv_algorithm(s, p.window);
  if (p.grid.x_scale > 0 && p.group == 1 && algorithm != wasm::ConvAlgorithm::Depthwise) {
    std::vector<int32_t> multiples = weight_multiples(op, p.grid);
    if (!multiples.empty()) return integer_conv(op, p, multiples, table);
  }
  p.grid = {};  // the float kernel has no use for it
  std::vector<float> weights = w->logical_data().to_floats();
  std::vector<float> packed = wasm::pack_conv_weights(algorithm, s, weights.data());
  Json kernel_params = p.to_json();
  kernel_params["algorithm"] = wasm::conv_algorithm_name(algorithm);
  std::string name = w->name + ":" + wasm::conv_algorithm_name(algorithm);
  // Packed at load from the ONNX layout, which the weights file holds (Winograd's is 16/9 of it).
  Json inputs = {table.index(x), table.add_derived(name, packed, std::move(weights), wasm::conv_pack_transform(algorithm, s))};
  if (op.inputs.size() > 2) inputs.push_back(table.index(op.inputs[2]));
  else inputs.push_back(table.add_data(op.name + ":bias", Tensor(DType::Float32, {s.M})));
  for (size_t i = 3; i < op.inputs.size(); i++) inputs.push_back(table.index(op.inputs[i]));
  return call("wasm.Conv", op, kernel_params, inputs, table);
}

bool fits_conv(const ir::Operator& op) {
  // Weights are packed for the channel counts: those must be numbers.
  if (op.type != "Conv" || !op.inputs[1]->is_constant() || !op.inputs[0]->dims[1].is_constant() ||
      !op.outputs[0]->dims[1].is_constant())
    return false;
  for (const ir::Variable* v : op.inputs)
    if (!float32(v)) return false;
  return channels_last(op.inputs[0]) && channels_last(op.outputs[0]);
}

// ReduceMax / ReduceMin of a row-major float tensor over its trailing axes (DynamicQuantizeLinear
// reduces all of them): rows of wasm/kernels/reduce_rows.cc.
bool fits_reduce_rows(const ir::Operator& op) {
  if ((op.type != "ReduceMax" && op.type != "ReduceMin") || !float32(op.inputs[0]) || !op.inputs[0]->has_default_order() ||
      !op.outputs[0]->has_default_order())
    return false;
  std::vector<int64_t> axes = params::Reduce::parse(op.params).axes;
  for (size_t i = 0; i < axes.size(); i++)
    if (axes[i] != static_cast<int64_t>(op.inputs[0]->rank() - axes.size() + i)) return false;
  return true;
}

// Float32 tensors, bool masks and the 8- and 32-bit integers of quantized models, converted on
// the way in and out (int64 stays on the reference kernel, which computes in double: its values
// need not fit a float). 8-bit values are exact in float arithmetic; an int32 input may only be converted to
// float (f32 of it, or a Cast), as a float computation past 2^24 would round where the reference
// computes exactly.
bool fits_elementwise(const ir::Operator& op) {
  if (!ops::traits_of(op).elementwise || op.outputs.size() != 1) return false;
  auto takes = [](const ir::Variable* v) { return wasm::ElementwiseProgram::takes_dtype(v->dtype); };
  if (!takes(op.outputs[0])) return false;
  for (const ir::Variable* v : op.inputs)
    if (!takes(v)) return false;
  Expr e = ops::schema_of(op.type).expr(op);
  auto wide = [&](int node) {
    const ExprNode& n = e.nodes[static_cast<size_t>(node)];
    return n.op == ExprOp::Input && op.inputs[static_cast<size_t>(n.value)]->dtype == DType::Int32;
  };
  for (const ExprNode& n : e.nodes)
    for (int a : n.args)
      if (a >= 0 && wide(a) && n.op != ExprOp::F32) return false;
  return true;
}

// MaxPool / AveragePool on channels-last images.
bool fits_pool(const ir::Operator& op) {
  return (op.type == "MaxPool" || op.type == "AveragePool") && float32(op.inputs[0]) && channels_last(op.inputs[0]) &&
         channels_last(op.outputs[0]);
}

// ReduceMean / ReduceMax over H and W of a channels-last image (global pooling).
bool fits_global_pool(const ir::Operator& op) {
  if (op.type != "ReduceMean" && op.type != "ReduceMax") return false;
  const ir::Variable* x = op.inputs[0];
  return x->rank() == 4 && float32(x) && channels_last(x) && params::Reduce::parse(op.params).axes == std::vector<int64_t>{2, 3} &&
         op.outputs[0]->size() == x->shape[0] * x->shape[1];
}

// Gemm, or MatMul of A [..., K] by a constant 2-D B (the rows of every batch are rows of one
// matrix): B packed with alpha folded in, C folded into the bias when it is one row (or absent).
bool fits_gemm(const ir::Operator& op) {
  if (op.type != "Gemm" && op.type != "MatMul") return false;
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1], *y = op.outputs[0];
  if ((op.type == "Gemm" ? a->rank() != 2 : a->rank() < 2) || b->rank() != 2 || !b->is_constant() ||
      !a->has_default_order() || !y->has_default_order())
    return false;
  if (!a->dims.back().is_constant() || !y->dims.back().is_constant()) return false;  // K and N are packed in
  if (op.type == "Gemm" && params::Gemm::parse(op.params).trans_a) return false;
  if (op.type == "Gemm" && op.inputs.size() > 2) {
    const ir::Variable* c = op.inputs[2];
    if (!c->is_constant() || num_elements(c->shape) != y->shape[1] || (c->rank() == 2 && c->shape[0] != 1)) return false;
  }
  for (const ir::Variable* v : op.inputs)
    if (!float32(v)) return false;
  return true;
}

// B of a Gemm or MatMul whose operands lie on integer grids as grid_multiples, K x N.
std::vector<int32_t> gemm_multiples(const ir::Variable& b, bool trans_b, const params::IntegerGrid& grid) {
  const Tensor w = b.logical_data();
  const int64_t K = w.shape[trans_b ? 1 : 0], N = w.shape[trans_b ? 0 : 1];
  return grid_multiples(K, N, grid, [&](int64_t k, int64_t n) { return w.as_double(trans_b ? n * K + k : k * N + n); });
}

Json gemm(const ir::Operator& op, emit::VariableTable& table) {
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1], *y = op.outputs[0];
  bool gemm_op = op.type == "Gemm";
  params::Gemm p = gemm_op ? params::Gemm::parse(op.params) : params::Gemm{1, 1, false, false, params::MatMul::parse(op.params).epilogue, {}};
  int64_t K = a->shape.back(), N = y->shape.back();
  std::vector<float> bias(static_cast<size_t>(N), 0.0f);
  size_t extras = gemm_op ? 3 : 2;
  if (gemm_op && op.inputs.size() > 2) {
    std::vector<float> c = op.inputs[2]->logical_data().to_floats();
    for (int64_t n = 0; n < N; n++) bias[n] = static_cast<float>(p.beta) * c[c.size() == 1 ? 0 : n];
  }
  Json inputs = {table.index(a)};
  auto finish = [&](const char* kernel, Json kernel_params) {
    inputs.push_back(table.add_data(op.name + ":bias", Tensor::from_floats({N}, bias)));
    for (size_t i = extras; i < op.inputs.size(); i++) inputs.push_back(table.index(op.inputs[i]));
    p.epilogue.write(kernel_params);
    return call(kernel, op, kernel_params, inputs, table);
  };
  // A quantized model's product, its grids known: in integers (wasm/kernels/integer_gemm_kernel.cc),
  // alpha in the scales.
  const params::IntegerGrid grid = params::IntegerGrid::parse(op.params);
  if (std::vector<int32_t> q = grid.x_scale > 0 ? gemm_multiples(*b, p.trans_b, grid) : std::vector<int32_t>{}; !q.empty()) {
    inputs.push_back(integer_weight(b->name, q, K, N, table));
    inputs.push_back(table.add_data(op.name + ":scales", product_scales(grid, p.alpha)));
    return finish("wasm.IntegerGemm", {{"K", K}, {"x_scale", grid.x_scale}});
  }
  // B is read where it is stored unless alpha scales it: VGG16's first Gemm weight is 400 MB, and
  // each copy of it costs the converter a fraction of a second.
  Tensor scaled;
  const float* bd = b->has_default_order() ? b->data->data<float>() : nullptr;
  if (!bd || p.alpha != 1) {
    scaled = b->logical_data();
    for (int64_t i = 0; i < scaled.size(); i++) scaled.data<float>()[i] *= static_cast<float>(p.alpha);
    bd = scaled.data<float>();
  }
  Tensor packed(DType::Float32, {wasm::packed_b_size(K, N)});
  wasm::pack_b(bd, K, N, p.trans_b ? 1 : N, p.trans_b ? K : 1, packed.data<float>());
  // The file may hold B as [N][K] instead (wasm.gemm_pack packs it at load) where that is smaller:
  // panels padded by more than 1%, or a weight quantized per output channel (then int8 with one
  // scale per row, emit::code_weights) -- its first 64 values tell. A float weight whose panels
  // fit stays packed: no copy of it here (VGG16's first weight is 400 MB), no work at load.
  auto column = [&](int64_t n, int64_t k) { return bd[p.trans_b ? n * K + k : k * N + n]; };
  std::vector<float> head;
  for (int64_t i = 0; i < std::min<int64_t>(K * N, 64) && K > 0; i++) head.push_back(column(i / K, i % K));
  const bool derive = K > 0 && N > 0 && (packed.size() > K * N + K * N / 100 ||
                                          (K * N >= 64 && emit::exact_int8_scales(head)));
  std::vector<float> columns(derive ? static_cast<size_t>(K * N) : 0);
  for (int64_t n = 0; derive && n < N; n++)
    for (int64_t k = 0; k < K; k++) columns[n * K + k] = column(n, k);
  // Copied only when derived (a quantized or padded weight): a float one goes in as it is.
  inputs.push_back(derive ? table.add_derived(b->name + ":packed", packed.to_floats(), std::move(columns), wasm::gemm_pack_transform(K, N))
                          : table.add_data(b->name + ":packed", packed));
  return finish("wasm.Gemm", {{"K", K}});
}

// MatMulInteger of an 8-bit A [..., K] (one zero point) by a constant 2-D B: B packed less its
// zero points into int16 pairs for i32x4.dot_i16x8_s.
bool fits_matmul_integer(const ir::Operator& op) {
  if (op.type != "MatMulInteger") return false;
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1], *y = op.outputs[0];
  bool eight_bit = a->dtype == DType::UInt8 || a->dtype == DType::Int8;
  return eight_bit && b->rank() == 2 && b->is_constant() && op.inputs[3]->is_constant() && op.inputs[2]->size() == 1 &&
         a->has_default_order() && y->has_default_order() && a->dims.back().is_constant() && y->dims.back().is_constant();
}

Json matmul_integer(const ir::Operator& op, emit::VariableTable& table) {
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1];
  int64_t K = b->shape[0], N = b->shape[1];
  auto ints = [](const ir::Variable* v) {
    std::vector<int64_t> x = v->logical_data().to_ints();
    return std::vector<int32_t>(x.begin(), x.end());
  };
  std::vector<int32_t> packed = wasm::pack_int_b(ints(b), ints(op.inputs[3]), K, N);
  Tensor t(DType::Int32, {static_cast<int64_t>(packed.size())});
  std::copy(packed.begin(), packed.end(), t.data<int32_t>());
  Json inputs = {table.index(a), table.add_data(b->name + ":packed", std::move(t)), table.index(op.inputs[2])};
  return call("wasm.MatMulInteger", op, {{"K", K}, {"N", N}}, inputs, table);
}

// MatMulNBits with its weight, scales and zero points constant (as the frontend makes them): the
// weight stays packed; a bias of zeros is added when there is none.
bool fits_matmul_nbits(const ir::Operator& op) {
  if (op.type != "MatMulNBits" || !op.inputs[0]->has_default_order() || !op.outputs[0]->has_default_order()) return false;
  for (size_t i = 1; i < 4; i++)
    if (!op.inputs[i]->is_constant()) return false;
  return true;
}

Json matmul_nbits(const ir::Operator& op, emit::VariableTable& table) {
  Json inputs = Json::array();
  for (const ir::Variable* v : op.inputs) inputs.push_back(table.index(v));
  if (op.inputs.size() < 5) inputs.push_back(table.add_data(op.name + ":bias", Tensor(DType::Float32, {op.inputs[1]->shape[0]})));
  return call("wasm.MatMulNBits", op, op.params, inputs, table);
}

bool row_major(const ir::Operator& op) {
  for (const auto* list : {&op.inputs, &op.outputs})
    for (const ir::Variable* v : *list)
      if (v && !v->has_default_order()) return false;
  return true;
}

// MatMul of two tensors of rank 2 or more, row-major, B not a constant (else fits_gemm).
bool fits_matmul(const ir::Operator& op) {
  if (op.type != "MatMul" || op.inputs[0]->rank() < 2 || op.inputs[1]->rank() < 2 || !row_major(op)) return false;
  for (const ir::Variable* v : op.inputs)
    if (!float32(v)) return false;
  return true;
}

// LayerNormalization over the trailing axes of a row-major X whose scale and bias are one row
// each (their axes, leading 1s aside, X's normalized axes), and Softmax / LogSoftmax along any
// axis: rows of wasm/kernels/row_norm.cc.
bool fits_row_norm(const ir::Operator& op) {
  bool softmax = op.type == "Softmax" || op.type == "LogSoftmax";
  if ((!softmax && op.type != "LayerNormalization") || !row_major(op) || !float32(op.inputs[0]) || !float32(op.outputs[0]))
    return false;
  if (softmax) return true;
  const ir::Variable* x = op.inputs[0];
  const int rank = x->rank();
  const int64_t axis = params::LayerNormalization::parse(op.params).axis;
  for (size_t i = 1; i < op.inputs.size(); i++) {
    const ir::Variable* v = op.inputs[i];
    if (!float32(v) || v->rank() > rank) return false;
    for (int d = 0; d < v->rank(); d++) {
      int xd = rank - v->rank() + d;
      if (xd < axis ? !(v->dims[d].is_constant() && v->shape[d] == 1) : !identical(v->dims[d], x->dims[xd])) return false;
    }
    if (rank - v->rank() > axis) return false;  // fewer axes than are normalized: it broadcasts
  }
  return true;
}

// The logical axis innermost in memory (stride 1, the largest extent among such).
int innermost(const ir::Variable* v) {
  Shape s = v->strides();
  int best = -1;
  for (int a = 0; a < v->rank(); a++)
    if (s[a] == 1 && (best < 0 || v->shape[a] > v->shape[best])) best = a;
  return best;
}

// Pad, Resize and Concat on float tensors laid out alike, whose innermost axis in memory is left
// as it is (channels of NHWC images): whole rows are copied.
bool fits_innermost_kept(const ir::Operator& op) {
  if (op.type != "Pad" && op.type != "Resize" && op.type != "Concat") return false;
  const ir::Variable* y = op.outputs[0];
  int inner = innermost(y);
  if (inner < 0 || !float32(y)) return false;
  for (const ir::Variable* v : op.inputs)
    if (!float32(v) || (v->size() > 0 && innermost(v) != inner) || v->order != y->order) return false;
  if (op.type == "Concat") return true;
  const ir::Variable* x = op.inputs[0];
  if (!identical(x->dims[inner], y->dims[inner])) return false;
  if (op.type == "Pad") return true;
  // Equal sizes are not enough: a scale that is not 1 (2 * 1.4 floors to 2 as well) or
  // tf_half_pixel_for_nn's half-pixel shift reads other coordinates. Checked on the size the
  // axis has (its hint, where free) and on 2, for a hint of 1; with a scale of exactly 1 only the
  // mode decides, not the size.
  params::Resize p = params::Resize::parse(op.params);
  double scale = inner < static_cast<int>(p.scales.size()) && p.scales[inner] != 0 ? p.scales[inner] : 1.0;
  if (!y->dims[inner].constant() && scale != 1.0) return false;
  for (int64_t n : {y->shape[inner], int64_t{2}})
    if (!runtime::reference::resize_axis_map(p, n, n, static_cast<float>(scale)).identity()) return false;
  return true;
}

}  // namespace

// The operators whose fits_* above and lower() below ask row_major(op) or default orders.
bool row_major_kernel(const std::string& type) {
  static const std::set<std::string> types = {"MatMul", "Gemm", "LayerNormalization", "Softmax", "LogSoftmax",
                                              "FusedAttention", "Gather"};
  return types.count(type) > 0;
}

Json lower(const ir::Operator& op, emit::VariableTable& table) {
  if (fits_conv(op)) return conv(op, table);
  if (fits_gemm(op)) return gemm(op, table);
  if (fits_matmul_integer(op)) return matmul_integer(op, table);
  if (fits_matmul_nbits(op)) return matmul_nbits(op, table);
  Json ins = Json::array();
  for (const ir::Variable* v : op.inputs) ins.push_back(table.index(v));
  if (fits_pool(op)) {
    Json pool = params::Pool::parse(op.params).to_json();
    pool["mode"] = op.type == "MaxPool" ? "max" : "average";
    return call("wasm.Pool", op, pool, ins, table);
  }
  if (fits_reduce_rows(op)) return call("wasm.ReduceRows", op, ops::kernel_params_of(op), ins, table);
  if (fits_global_pool(op)) return call("wasm.GlobalPool", op, {{"mode", op.type == "ReduceMax" ? "max" : "mean"}}, ins, table);
  if (op.type == "Reshape" && op.inputs[0]->has_default_order() && op.outputs[0]->has_default_order())
    return call("wasm.Reshape", op, ops::kernel_params_of(op), ins, table);
  if (op.type == "Relayout") return call("wasm.Relayout", op, Json::object(), ins, table);
  if (op.type == "Transpose") return call("wasm.Transpose", op, ops::kernel_params_of(op), ins, table);
  if (fits_innermost_kept(op)) return call(("wasm." + op.type).c_str(), op, ops::kernel_params_of(op), ins, table);
  if (op.type == "InstanceNormalization" && float32(op.inputs[0]) && op.inputs[0]->rank() >= 3 &&
      op.inputs[0]->strides()[1] == 1 && op.outputs[0]->strides() == op.inputs[0]->strides())
    return call("wasm.InstanceNormalization", op, ops::kernel_params_of(op), ins, table);
  if (fits_matmul(op)) return call("wasm.MatMul", op, ops::kernel_params_of(op), ins, table);
  if (op.type == "FusedAttention" && row_major(op)) return call("wasm.Attention", op, ops::kernel_params_of(op), ins, table);
  if (op.type == "Gather" && row_major(op) && (op.inputs[1]->dtype == DType::Int64 || op.inputs[1]->dtype == DType::Int32))
    return call("wasm.Gather", op, ops::kernel_params_of(op), ins, table);
  if (fits_row_norm(op)) return call(("wasm." + ops::schema_of(op.type).kernel).c_str(), op, ops::kernel_params_of(op), ins, table);
  if (fits_elementwise(op)) return call("wasm.Elementwise", op, ops::kernel_params_of(op), ins, table);
  return call(ops::schema_of(op.type).kernel.c_str(), op, ops::kernel_params_of(op), ins, table);
}

}  // namespace webdnn::backends::wasm_backend
