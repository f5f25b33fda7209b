// Reductions.
//   ReduceMax, ReduceMin, ReduceSum, ReduceMean, ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare,
//   ReduceLogSum, ReduceLogSumExp: params axes (sorted, distinct, non-negative) and keepdims (0|1).
//     Axes are always explicit: the frontend turns ONNX's "no axes" into the full list. An empty
//     list reduces nothing, so each element goes through the reduction alone (x*x for
//     ReduceSumSquare, |x| for ReduceL2), which is what noop_with_empty_axes asks for.
//   ArgMax, ArgMin: params axis (non-negative), keepdims, select_last_index; int64 indices.
// All reductions share the reference kernel "Reduce", and ArgMax/ArgMin the kernel "ArgReduce";
// kernel_params add which one ("reduce": "max", "sum", ...).
#include "src/ops/schema.h"
#include "webdnn/error.h"

namespace webdnn::ops {
namespace {

struct Reduction {
  const char* type;
  const char* name;  // the kernel's "reduce" parameter
};

const Reduction kReductions[] = {
    {"ReduceMax", "max"}, {"ReduceMin", "min"}, {"ReduceSum", "sum"},
    {"ReduceMean", "mean"}, {"ReduceProd", "prod"}, {"ReduceL1", "l1"},
    {"ReduceL2", "l2"}, {"ReduceSumSquare", "sum_square"}, {"ReduceLogSum", "log_sum"},
    {"ReduceLogSumExp", "log_sum_exp"},
};

bool keepdims(const ir::Operator& op) {
  int64_t k = op.params.value("keepdims", 1);
  WEBDNN_CHECK(k == 0 || k == 1, "keepdims must be 0 or 1, not ", k);
  return k == 1;
}

// Which input axes are reduced.
std::vector<bool> reduced_axes(const ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(op.params.contains("axes"), "parameter 'axes' is missing");
  std::vector<int64_t> axes = param_ints(op, "axes");
  std::vector<bool> reduced(x->rank(), false);
  for (size_t i = 0; i < axes.size(); i++) {
    WEBDNN_CHECK(axes[i] >= 0 && axes[i] < x->rank(), "axis ", axes[i], " is out of range for input ",
                 shape_to_string(x->shape));
    WEBDNN_CHECK(i == 0 || axes[i] > axes[i - 1], "axes ", shape_to_string(axes),
                 " must be sorted and distinct");
    reduced[axes[i]] = true;
  }
  return reduced;
}

// Output shape and axis labels: reduced axes become 1 or disappear.
void set_reduced_output(ir::Operator& op, const std::vector<bool>& reduced, DType dtype) {
  const ir::Variable* x = op.inputs[0];
  bool keep = keepdims(op);
  Shape shape;
  std::vector<std::string> labels;
  for (int a = 0; a < x->rank(); a++) {
    if (reduced[a] && !keep) continue;
    shape.push_back(reduced[a] ? 1 : x->shape[a]);
    labels.push_back(x->axes[a]);
  }
  set_output(op, 0, dtype, shape);
  op.outputs[0]->axes = labels;
}

// The output axes that are not reduced: pieces along them are independent.
Traits kept_axes_tensorwise(const ir::Operator& op, const std::vector<bool>& reduced) {
  Traits t;
  bool keep = op.params.value("keepdims", 1) == 1;
  int out = 0;
  for (size_t a = 0; a < reduced.size(); a++) {
    if (!reduced[a]) t.tensorwise.push_back(out);
    if (!reduced[a] || keep) out++;
  }
  return t;
}

void infer_reduce(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(x->dtype != DType::Bool, "input '", x->name, "' is bool; a numeric type is expected");
  set_reduced_output(op, reduced_axes(op), x->dtype);
}

std::vector<bool> arg_axis(const ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(op.params.contains("axis"), "parameter 'axis' is missing");
  int64_t axis = op.params.at("axis").get<int64_t>();
  WEBDNN_CHECK(axis >= 0 && axis < x->rank(), "axis ", axis, " is out of range for input ", shape_to_string(x->shape));
  WEBDNN_CHECK(x->shape[axis] > 0, "axis ", axis, " of input ", shape_to_string(x->shape),
               " is empty; it has no extreme element");
  std::vector<bool> reduced(x->rank(), false);
  reduced[axis] = true;
  return reduced;
}

void infer_arg(ir::Operator& op) {
  const ir::Variable* x = op.inputs[0];
  WEBDNN_CHECK(x->dtype != DType::Bool, "input '", x->name, "' is bool; a numeric type is expected");
  set_reduced_output(op, arg_axis(op), DType::Int64);
}

OpSchema reduction(const Reduction& r) {
  OpSchema s;
  s.type = r.type;
  s.infer = infer_reduce;
  s.traits = [](const ir::Operator& op) { return kept_axes_tensorwise(op, reduced_axes(op)); };
  s.kernel = "Reduce";
  std::string name = r.name;
  s.kernel_params = [name](const ir::Operator& op) {
    Json p = op.params;
    p["reduce"] = name;
    return p;
  };
  return s;
}

OpSchema arg_reduction(const char* type, const char* name) {
  OpSchema s;
  s.type = type;
  s.infer = infer_arg;
  s.traits = [](const ir::Operator& op) { return kept_axes_tensorwise(op, arg_axis(op)); };
  s.kernel = "ArgReduce";
  std::string n = name;
  s.kernel_params = [n](const ir::Operator& op) {
    Json p = op.params;
    p["reduce"] = n;
    return p;
  };
  return s;
}

bool register_all() {
  for (const Reduction& r : kReductions) register_schema(reduction(r));
  register_schema(arg_reduction("ArgMax", "max"));
  register_schema(arg_reduction("ArgMin", "min"));
  return true;
}

const bool registered = register_all();

}  // namespace
}  // namespace webdnn::ops
