// Small helpers the rules share for inspecting and rewriting the graph.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "src/ir/graph.h"
#include "src/ops/schema.h"
#include "webdnn/expr.h"

namespace webdnn::optimizer {

bool is_graph_output(const ir::Graph& graph, const ir::Variable* v);
// Read by exactly one operator (in one or more of its inputs) and not a graph output.
bool single_use(const ir::Graph& graph, const ir::Variable* v);

// Lets the readers of `out` read `replacement` instead. When `out` is a graph output,
// `replacement` takes its place and its name, which is possible only when it is computed by an
// operator, not already an output, and laid out the same; returns false otherwise.
bool forward(ir::Graph& graph, ir::Variable* out, ir::Variable* replacement);

// A new constant; `data` is in logical order.
ir::Variable* add_constant(ir::Graph& graph, const std::string& base, Tensor data);
// Replaces `op` by a new operator of the same name with these parameters and inputs, writing
// `op`'s outputs (whose names and layouts thus stay).
ir::Operator* recreate(ir::Graph& graph, ir::Operator* op, std::string type, Json params,
                       const std::vector<ir::Variable*>& inputs);

// The expression of an elementwise operator.
Expr expression_of(const ir::Operator& op);
// For an elementwise operator computing `x0 OP x1` on its two inputs: OP.
std::optional<ExprOp> binary_form(const ir::Operator& op);
// Evaluates an expression on constant tensors (broadcast to `shape`), in logical order.
Tensor evaluate(const Expr& expr, const std::vector<const Tensor*>& inputs, DType dtype, const Shape& shape);

// The same variable, or constants of the same values.
bool same_values(const ir::Variable* a, const ir::Variable* b);
// For a DequantizeLinear reading a QuantizeLinear of the same scale and zero point (the pair QDQ
// models put around every activation): that QuantizeLinear; nullptr otherwise.
ir::Operator* quantize_of_pair(const ir::Operator& dequantize);

// float32(x - zero) (a constant when both are), `zero` reshaped to broadcast along `axis` of x
// when it has several values: an integer product's operand as the float values it multiplies.
ir::Variable* less_zero_point(ir::Graph& graph, const std::string& name, ir::Variable* x, ir::Variable* zero, int axis);

// Two layouts of one shape are the same in memory when the axes of size > 1 have equal strides.
bool same_layout(const ir::Variable& a, const ir::Variable& b);

}  // namespace webdnn::optimizer
