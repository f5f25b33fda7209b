// Reductions.
//   ReduceMax, ReduceMin, ReduceSum, ReduceMean, ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare,
//   ReduceLogSum, ReduceLogSumExp: params::Reduce (axes always explicit: the frontend turns ONNX's
//     "no axes" into the full list). An empty list reduces nothing, so each element goes through
//     the reduction alone (x*x for ReduceSumSquare, |x| for ReduceL2), which is what
//     noop_with_empty_axes asks for.
//   ArgMax, ArgMin: params::ArgReduce; int64 indices.
// All reductions share the reference kernel "Reduce", and ArgMax/ArgMin the kernel "ArgReduce";
// kernel_params add which one ("reduce": "max", "sum", ...).
#include <algorithm>

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

// Output axis labels: those of the input, less the axes a reduction without keepdims drops.
void label_axes(ir::Operator& op, const std::vector<int64_t>& reduced, bool keepdims) {
  const ir::Variable* x = op.inputs[0];
  std::vector<std::string> labels;
  for (int a = 0; a < x->rank(); a++)
    if (keepdims || std::find(reduced.begin(), reduced.end(), a) == reduced.end()) labels.push_back(x->axes[a]);
  op.outputs[0]->axes = labels;
}

// The output axes that are not reduced: pieces along them are independent.
Traits kept_axes_tensorwise(const ir::Operator& op, const std::vector<int64_t>& reduced, bool keepdims) {
  Traits t;
  int out = 0;
  for (int a = 0; a < op.inputs[0]->rank(); a++) {
    bool r = std::find(reduced.begin(), reduced.end(), a) != reduced.end();
    if (!r) t.tensorwise.push_back(out);
    if (!r || keepdims) out++;
  }
  return t;
}

void infer_reduce(ir::Operator& op) {
  params::Reduce p = params::Reduce::parse(op.params);
  set_outputs(op, params::infer_reduce(p, input_types(op)));
  label_axes(op, p.axes, p.keepdims);
}

void infer_arg(ir::Operator& op) {
  params::ArgReduce p = params::ArgReduce::parse(op.params);
  set_outputs(op, params::infer_arg_reduce(p, input_types(op)));
  label_axes(op, {p.axis}, p.keepdims);
}

OpSchema reduction(const Reduction& r) {
  OpSchema s;
  s.type = r.type;
  s.infer = infer_reduce;
  s.traits = [](const ir::Operator& op) {
    params::Reduce p = params::Reduce::parse(op.params);
    return kept_axes_tensorwise(op, p.axes, p.keepdims);
  };
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
  s.traits = [](const ir::Operator& op) {
    params::ArgReduce p = params::ArgReduce::parse(op.params);
    return kept_axes_tensorwise(op, {p.axis}, p.keepdims);
  };
  s.kernel = "ArgReduce";
  std::string n = name;
  s.kernel_params = [n](const ir::Operator& op) {
    Json p = op.params;
    p["reduce"] = n;
    return p;
  };
  return s;
}

bool register_reductions() {
  for (const Reduction& r : kReductions) register_schema(reduction(r));
  register_schema(arg_reduction("ArgMax", "max"));
  register_schema(arg_reduction("ArgMin", "min"));
  return true;
}

const bool reductions_registered = register_reductions();

}  // namespace
}  // namespace webdnn::ops
