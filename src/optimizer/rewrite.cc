#include "src/optimizer/rewrite.h"

#include <algorithm>

#include "runtime/kernels/reference/reference.h"

namespace webdnn::optimizer {

bool is_graph_output(const ir::Graph& graph, const ir::Variable* v) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), v) != graph.outputs.end();
}

bool single_use(const ir::Graph& graph, const ir::Variable* v) {
  if (v->consumers.empty() || is_graph_output(graph, v)) return false;
  for (const ir::Operator* c : v->consumers)
    if (c != v->consumers[0]) return false;
  return true;
}

bool same_layout(const ir::Variable& a, const ir::Variable& b) {
  if (a.shape != b.shape) return false;
  Shape sa = a.strides(), sb = b.strides();
  for (size_t i = 0; i < a.shape.size(); i++)
    if (a.shape[i] > 1 && sa[i] != sb[i]) return false;
  return true;
}

bool forward(ir::Graph& graph, ir::Variable* out, ir::Variable* replacement) {
  if (is_graph_output(graph, out)) {
    bool movable = replacement->producer && !is_graph_output(graph, replacement) &&
                   replacement->dtype == out->dtype && same_layout(*replacement, *out);
    if (!movable) return false;
    std::replace(graph.outputs.begin(), graph.outputs.end(), out, replacement);
    std::string name = out->name;
    out->name = graph.unique_name(name + "_replaced");
    replacement->name = name;
  }
  graph.replace_uses(out, replacement);
  return true;
}

ir::Variable* add_constant(ir::Graph& graph, const std::string& base, Tensor data) {
  return graph.add_constant(graph.unique_name(base), std::move(data));
}

ir::Operator* recreate(ir::Graph& graph, ir::Operator* op, std::string type, Json params,
                       const std::vector<ir::Variable*>& inputs) {
  std::vector<ir::Variable*> outputs = op->outputs;
  std::string name = op->name;
  graph.remove_operator(op);
  return graph.add_operator(type, name, std::move(params), inputs, outputs);
}

Expr expression_of(const ir::Operator& op) { return ops::schema_of(op.type).expr(op); }

std::optional<ExprOp> binary_form(const ir::Operator& op) {
  if (!ops::traits_of(op).elementwise || op.inputs.size() != 2) return std::nullopt;
  Expr e = expression_of(op);
  if (e.nodes.size() != 3) return std::nullopt;
  const ExprNode &a = e.nodes[0], &b = e.nodes[1], &r = e.nodes[2];
  bool inputs_in_order = a.op == ExprOp::Input && a.value == 0 && b.op == ExprOp::Input && b.value == 1;
  if (!inputs_in_order || expr_arity(r.op) != 2 || r.args[0] != 0 || r.args[1] != 1) return std::nullopt;
  return r.op;
}

Tensor evaluate(const Expr& expr, const std::vector<const Tensor*>& inputs, DType dtype, const Shape& shape) {
  Tensor out(dtype, shape);
  runtime::reference::evaluate_expression(expr, inputs, out);
  return out;
}

bool same_values(const ir::Variable* a, const ir::Variable* b) {
  if (a == b) return true;
  if (!a->is_constant() || !b->is_constant() || a->shape != b->shape) return false;
  Tensor ta = a->logical_data(), tb = b->logical_data();
  for (int64_t i = 0; i < ta.size(); i++)
    if (ta.as_double(i) != tb.as_double(i)) return false;
  return true;
}

ir::Operator* quantize_of_pair(const ir::Operator& dq) {
  if (dq.type != "DequantizeLinear" || dq.inputs.size() < 3) return nullptr;
  ir::Operator* q = dq.inputs[0]->producer;
  if (!q || q->type != "QuantizeLinear" || q->inputs.size() < 3 || !same_values(q->inputs[1], dq.inputs[1]) ||
      !same_values(q->inputs[2], dq.inputs[2]))
    return nullptr;
  return q;
}

ir::Variable* less_zero_point(ir::Graph& graph, const std::string& name, ir::Variable* x, ir::Variable* zero, int axis) {
  if (zero->size() > 1 && zero->is_constant()) {  // reshaped now, so that a constant x gives a constant
    Tensor z = zero->logical_data();
    z.shape = Shape(static_cast<size_t>(x->rank() - axis), 1);
    z.shape[0] = zero->size();
    zero = add_constant(graph, name + ":zero_point", std::move(z));
  } else if (zero->size() > 1) {
    DimShape dims = {x->dims[axis]};
    dims.resize(static_cast<size_t>(x->rank() - axis), Dim(1));
    zero = graph.add_operator("Reshape", name + ":zero_point", {{"shape", params::dims_json(dims)}}, {zero})->output();
  }
  Expr e;
  e.unary(ExprOp::F32, e.binary(ExprOp::Sub, e.input(0), e.input(1)));
  if (x->is_constant() && zero->is_constant()) {
    Tensor xt = x->logical_data(), zt = zero->logical_data();
    return add_constant(graph, x->name + ":float", evaluate(e, {&xt, &zt}, DType::Float32, x->shape));
  }
  Json p = {{"expr", e.to_json()}, {"to", "float32"}};
  return graph.add_operator("FusedElementwise", name + ":float", p, {x, zero})->output();
}

}  // namespace webdnn::optimizer
