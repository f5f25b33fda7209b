#include "src/frontend/onnx/dim_eval.h"

#include <cmath>

#include "src/ops/schema.h"
#include "webdnn/params.h"

namespace webdnn::onnx_frontend {
namespace {

bool is_integral(DType t) { return t == DType::Int64 || t == DType::Int32 || t == DType::Bool; }

std::optional<Dim> truth(bool b) { return Dim(b ? 1 : 0); }

// One node of an elementwise expression on dims; nullopt where dims cannot express it.
std::optional<Dim> apply(ExprOp op, const Dim& a, const Dim& b, const Dim& c) {
  switch (op) {
    case ExprOp::Add: return a + b;
    case ExprOp::Sub: return a - b;
    case ExprOp::Mul: return a * b;
    case ExprOp::Neg: return -a;
    // Integer division of sizes: non-negative operands, where truncation and floor agree.
    case ExprOp::Div:
    case ExprOp::IDiv: return floor_div(a, b);
    case ExprOp::Mod: return mod(a, b);
    case ExprOp::Max: return max(a, b);
    case ExprOp::Min: return min(a, b);
    case ExprOp::Eq: return truth(a == b);
    case ExprOp::Lt: return truth(a < b);
    case ExprOp::Gt: return truth(a > b);
    case ExprOp::Select:
      if (auto k = a.constant()) return *k != 0 ? b : c;
      return std::nullopt;
    default: break;
  }
  auto x = a.constant(), y = b.constant(), z = c.constant();
  if (!x || !y || !z) return std::nullopt;
  double v = expr_apply(op, static_cast<double>(*x), static_cast<double>(*y), static_cast<double>(*z));
  if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9.0e15) return std::nullopt;
  return Dim(static_cast<int64_t>(v));
}

std::optional<std::vector<DimTensor>> elementwise(const Expr& expr, const std::vector<DimTensor>& in, const ir::Variable& out) {
  if (out.rank() > 1) return std::nullopt;
  int64_t n = out.rank() == 0 ? 1 : out.shape[0];
  DimTensor r{out.dtype, out.shape, {}};
  for (int64_t i = 0; i < n; i++) {
    std::vector<Dim> node(expr.nodes.size());
    for (size_t k = 0; k < expr.nodes.size(); k++) {
      const ExprNode& e = expr.nodes[k];
      if (e.op == ExprOp::Input) {
        const DimTensor& t = in.at(static_cast<size_t>(e.value));
        node[k] = t.values.size() == 1 ? t.values[0] : t.values.at(static_cast<size_t>(i));
        continue;
      }
      if (e.op == ExprOp::Const) {
        if (e.value != std::floor(e.value) || std::fabs(e.value) > 9.0e15) return std::nullopt;
        node[k] = Dim(static_cast<int64_t>(e.value));
        continue;
      }
      auto arg = [&](int j) { return e.args[j] >= 0 ? node[e.args[j]] : Dim(0); };
      auto v = apply(e.op, arg(0), arg(1), arg(2));
      if (!v) return std::nullopt;
      node[k] = *v;
    }
    r.values.push_back(node.back());
  }
  return std::vector<DimTensor>{r};
}

}  // namespace

std::optional<std::vector<DimTensor>> evaluate_dims(const ir::Operator& op, const std::vector<DimTensor>& in) {
  for (const ir::Variable* v : op.outputs)
    if (!v->is_static() || v->rank() > 1 || v->size() > 64 || !is_integral(v->dtype)) return std::nullopt;
  const ir::Variable& out = *op.outputs[0];
  const ops::OpSchema& schema = ops::schema_of(op.type);
  if (schema.expr && ops::traits_of(op).elementwise) return elementwise(schema.expr(op), in, out);
  DimTensor r{out.dtype, out.shape, {}};
  if (op.type == "Reshape" || op.type == "Identity") {
    r.values = in[0].values;
  } else if (op.type == "Concat") {
    for (const DimTensor& t : in) r.values.insert(r.values.end(), t.values.begin(), t.values.end());
  } else if (op.type == "Gather" && in[0].shape.size() == 1) {
    for (const Dim& index : in[1].values) {
      auto k = index.constant();
      if (!k) return std::nullopt;
      int64_t at = *k < 0 ? *k + static_cast<int64_t>(in[0].values.size()) : *k;
      if (at < 0 || at >= static_cast<int64_t>(in[0].values.size())) return std::nullopt;
      r.values.push_back(in[0].values[static_cast<size_t>(at)]);
    }
  } else if (op.type == "Slice" && in[0].shape.size() == 1) {
    params::Slice p = params::Slice::parse(op.params);
    auto start = p.starts[0].constant();
    if (!start) return std::nullopt;
    for (int64_t i = 0, at = *start; i < out.shape[0]; i++, at += p.steps[0]) r.values.push_back(in[0].values.at(static_cast<size_t>(at)));
  } else {
    return std::nullopt;
  }
  if (static_cast<int64_t>(r.values.size()) != out.size()) return std::nullopt;
  return std::vector<DimTensor>{r};
}

}  // namespace webdnn::onnx_frontend
