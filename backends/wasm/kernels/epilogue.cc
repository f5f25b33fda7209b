#include "backends/wasm/kernels/epilogue.h"

#include <algorithm>

namespace webdnn::wasm {
namespace {

// Whether `e` is x0 clamped: x0, max(x0, a), min(x0, b), min(max(x0, a), b) or max(min(x0, b), a).
bool as_clamp(const Expr& e, float& lo_out, float& hi_out) {
  float lo = lo_out, hi = hi_out;
  int node = e.result();
  bool seen_min = false, seen_max = false;
  while (true) {
    const ExprNode& n = e.nodes[node];
    if (n.op == ExprOp::Input) {
      if (n.value != 0) return false;
      lo_out = lo, hi_out = hi;
      return true;
    }
    if (n.op != ExprOp::Max && n.op != ExprOp::Min) return false;
    const ExprNode &a = e.nodes[n.args[0]], &b = e.nodes[n.args[1]];
    const ExprNode* k = a.op == ExprOp::Const ? &a : b.op == ExprOp::Const ? &b : nullptr;
    if (!k) return false;
    bool is_max = n.op == ExprOp::Max;
    if (is_max ? seen_max : seen_min) return false;
    (is_max ? seen_max : seen_min) = true;
    (is_max ? lo : hi) = static_cast<float>(k->value);
    node = k == &a ? n.args[1] : n.args[0];
  }
}

// clamp(x0 + x1) or clamp(x1 + x0) (clamp possibly absent): returns the other input's index.
int as_residual_clamp(const Expr& e, float& lo, float& hi) {
  // Strip the clamp by matching it on a copy whose sum node is replaced by x0.
  for (size_t i = 0; i < e.nodes.size(); i++) {
    const ExprNode& n = e.nodes[i];
    if (n.op != ExprOp::Add) continue;
    const ExprNode &a = e.nodes[n.args[0]], &b = e.nodes[n.args[1]];
    if (a.op != ExprOp::Input || b.op != ExprOp::Input || (a.value != 0) == (b.value != 0)) continue;
    int other = static_cast<int>(a.value != 0 ? a.value : b.value);
    Expr rest = e;
    rest.nodes[i] = ExprNode{};
    rest.nodes[i].op = ExprOp::Input;  // value 0: x0
    float l = lo, h = hi;
    if (as_clamp(rest, l, h)) {
      lo = l, hi = h;
      return other;
    }
  }
  return -1;
}

// `e` ending in fuse_quantize_dequantize's rounding, F32(round(clamp(F32(v / s), lo, hi)) * s)
// with s, lo and hi numbers: the node of v, or -1.
int as_grid(const Expr& e, Grid& grid) {
  auto is = [&](int i, ExprOp op) { return i >= 0 && e.nodes[static_cast<size_t>(i)].op == op; };
  auto arg = [&](int i, int k) { return e.nodes[static_cast<size_t>(i)].args[k]; };
  auto value = [&](int i) { return e.nodes[static_cast<size_t>(i)].value; };
  const int mul = arg(e.result(), 0);
  if (!is(e.result(), ExprOp::F32) || !is(mul, ExprOp::Mul)) return -1;
  const int round = arg(mul, 0), s = arg(mul, 1);
  if (!is(round, ExprOp::Round) || !is(s, ExprOp::Const)) return -1;
  const int clamp = arg(round, 0);
  if (!is(clamp, ExprOp::Clamp) || !is(arg(clamp, 1), ExprOp::Const) || !is(arg(clamp, 2), ExprOp::Const)) return -1;
  const int f32 = arg(clamp, 0);
  if (!is(f32, ExprOp::F32) || !is(arg(f32, 0), ExprOp::Div)) return -1;
  const int div = arg(f32, 0);
  if (!is(arg(div, 1), ExprOp::Const) || value(arg(div, 1)) != value(s) || value(s) <= 0) return -1;
  grid = {static_cast<float>(value(s)), static_cast<float>(value(arg(clamp, 1))), static_cast<float>(value(arg(clamp, 2)))};
  return arg(div, 0);
}

// Whether the result of `e` reads x0 anywhere but through node `except`.
bool reads_x0_besides(const Expr& e, size_t except) {
  std::vector<bool> live(e.nodes.size(), false);
  live[static_cast<size_t>(e.result())] = true;
  for (size_t i = e.nodes.size(); i-- > 0;) {
    if (!live[i] || i == except) continue;
    const ExprNode& n = e.nodes[i];
    if (n.op == ExprOp::Input && n.value == 0) return true;
    for (int a : n.args)
      if (a >= 0) live[static_cast<size_t>(a)] = true;
  }
  return false;
}

// Replaces the rounding of x0 onto a grid in `e` (a residual block's quantized product) by x0
// itself and returns that grid, where nothing else reads x0; a grid of step 0 where there is none.
Grid strip_product_grid(Expr& e) {
  for (size_t i = 0; i < e.nodes.size(); i++) {
    Expr upto = e;
    upto.nodes.resize(i + 1);
    Grid grid;
    const int v = as_grid(upto, grid);
    const ExprNode& x = e.nodes[static_cast<size_t>(std::max(v, 0))];
    if (v < 0 || x.op != ExprOp::Input || x.value != 0 || reads_x0_besides(e, i)) continue;
    e.nodes[i] = x;
    return grid;
  }
  return {};
}

}  // namespace

Epilogue Epilogue::from(const runtime::KernelSpec& spec, size_t first_extra, bool residual_in_tile,
                        bool grid_in_tile) {
  Epilogue ep;
  ep.first_extra = first_extra;
  ep.extras = spec.inputs.size() - first_extra;
  params::Epilogue parsed = params::Epilogue::parse(params::Reader(spec.params));
  std::vector<Shape> extras;
  for (size_t i = first_extra; i < spec.inputs.size(); i++) extras.push_back(spec.inputs[i].shape);
  parsed.check(extras, spec.outputs[0].shape);
  if (!parsed.expr) return ep;
  Expr e = *parsed.expr;
  // The grid rounding last: the tile does it, and what comes before it is matched below. Nodes come
  // after their arguments, so the ones up to the rounded value make its expression.
  Grid grid;
  const int rounded = grid_in_tile ? as_grid(e, grid) : -1;
  if (rounded >= 0) {
    Expr before = e;
    before.nodes.resize(static_cast<size_t>(rounded) + 1);
    float l = ep.lo, h = ep.hi;
    Grid product_grid = as_clamp(before, l, h) ? Grid{} : strip_product_grid(before);
    if (as_clamp(before, l, h) || as_residual_clamp(before, l, h) > 0) {
      ep.grid = grid, ep.product_grid = product_grid;
      e = std::move(before);
    }
  }
  if (as_clamp(e, ep.lo, ep.hi)) return ep;
  int other = residual_in_tile ? as_residual_clamp(e, ep.lo, ep.hi) : -1;
  if (other > 0) {
    const runtime::TensorInfo& r = spec.inputs[first_extra + other - 1];
    if (r.shape == spec.outputs[0].shape && r.strides == spec.outputs[0].strides) {
      ep.residual = static_cast<int>(first_extra) + other - 1;
      return ep;
    }
    ep.lo = -std::numeric_limits<float>::infinity(), ep.hi = std::numeric_limits<float>::infinity();
    if (ep.grid.step > 0) ep.grid = ep.product_grid = Grid{}, e = *parsed.expr;  // all of it in the program, then
  }
  std::vector<runtime::TensorInfo> inputs = {spec.outputs[0]};
  inputs.insert(inputs.end(), spec.inputs.begin() + static_cast<long>(first_extra), spec.inputs.end());
  ep.program = std::make_unique<ElementwiseProgram>(e, inputs, spec.outputs[0]);
  return ep;
}

void Epilogue::finish(void* const* inputs, float* output, int64_t begin, int64_t end) const {
  if (!program) return;
  // Called per block of rows: no allocation for the usual few extra inputs.
  const void* few[8];
  std::vector<const void*> many(extras + 1 > 8 ? extras + 1 : 0);
  const void** args = many.empty() ? few : many.data();
  args[0] = output;
  for (size_t i = 0; i < extras; i++) args[i + 1] = inputs[first_extra + i];
  program->run(args, output, begin, end);
}

}  // namespace webdnn::wasm
