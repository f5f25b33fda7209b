// Reductions (ReduceMax ... ReduceLogSumExp) and ArgMax/ArgMin: each output element loops over
// the elements it reduces; four at once when the output's packed axis is a kept axis that the
// input packs too (global pooling over H and W of an image: one texel read per pixel).
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {
namespace {

const std::map<std::string, std::string>& kinds() {
  static const std::map<std::string, std::string> k = {
      {"ReduceMax", "max"}, {"ReduceMin", "min"}, {"ReduceSum", "sum"}, {"ReduceMean", "mean"}, {"ReduceProd", "prod"},
      {"ReduceL1", "l1"}, {"ReduceL2", "l2"}, {"ReduceSumSquare", "sum_square"}, {"ReduceLogSum", "log_sum"},
      {"ReduceLogSumExp", "log_sum_exp"}};
  return k;
}

struct Mapping {
  Coords x;                      // input coordinates: output ones and loop variables r0, r1...
  std::vector<int64_t> extents;  // of the reduced axes, in order
  int x_axis_of_out_packed = -1;
  int64_t count = 1;
};

Mapping map_axes(const ir::Variable* x, const std::vector<bool>& reduced, bool keep, int out_packed) {
  Mapping m;
  int out = 0;
  for (int a = 0; a < x->rank(); a++) {
    if (reduced[a]) {
      m.x.push_back("r" + std::to_string(m.extents.size()));
      m.extents.push_back(x->shape[a]);
      m.count *= x->shape[a];
      if (keep) out++;
    } else {
      if (out == out_packed) m.x_axis_of_out_packed = a;
      m.x.push_back("c" + std::to_string(out++));
    }
  }
  return m;
}

void reduce(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  std::vector<bool> reduced(xv->rank(), false);
  params::Reduce r = params::Reduce::parse(op.params);
  for (int64_t a : r.axes) reduced[a] = true;
  bool keep = r.keepdims;
  std::string kind = kinds().at(op.type);
  Mapping m = map_axes(xv, reduced, keep, p.at(y).layout.packed);
  bool vector = m.x_axis_of_out_packed >= 0 && m.x_axis_of_out_packed == p.at(x).layout.packed;
  auto body = [&](Kernel& k) {
    std::string T = vector ? "vec4" : "float";
    std::string read = vector ? k.vec4_along(x, m.x, m.x_axis_of_out_packed) : k.element(x, m.x);
    std::string inf = "uintBitsToFloat(0x7f800000u)";
    std::ostringstream s;
    auto loop = [&](const std::string& init, const std::string& step) {
      s << "  " << T << " acc = " << T << "(" << init << ");\n";
      s << nested_loops(m.extents, "r", "    " + T + " x = " + read + ";\n    " + step + "\n");
    };
    std::string result;
    // Maxima and minima keep NaN, as in the reference.
    std::string max = "acc = " + glsl_op(k, ExprOp::Max, "acc", "x") + ";";
    if (kind == "max") loop("-" + inf, max), result = "acc";
    else if (kind == "min") loop(inf, "acc = " + glsl_op(k, ExprOp::Min, "acc", "x") + ";"), result = "acc";
    else if (kind == "sum") loop("0.0", "acc += x;"), result = "acc";
    else if (kind == "mean") loop("0.0", "acc += x;"), result = "acc / " + glsl_float(static_cast<double>(m.count));
    else if (kind == "prod") loop("1.0", "acc *= x;"), result = "acc";
    else if (kind == "l1") loop("0.0", "acc += abs(x);"), result = "acc";
    else if (kind == "l2") loop("0.0", "acc += x * x;"), result = "sqrt(acc)";
    else if (kind == "sum_square") loop("0.0", "acc += x * x;"), result = "acc";
    else if (kind == "log_sum") loop("0.0", "acc += x;"), result = "log(acc)";
    else {  // log_sum_exp, shifted by the maximum
      loop("-" + inf, max);
      s << "  " << T << " mx = acc;\n  " << T << " sh = mix(mx, " << T << "(0.0), isinf(mx));\n";
      s << "  acc = " << T << "(0.0);\n";
      s << nested_loops(m.extents, "r", "    acc += exp(" + read + " - sh);\n");
      result = "mix(sh + log(acc), mx, isinf(mx))";
    }
    if (vector) {
      std::string store = glsl_store(result, yv->dtype);
      s << "  vec4 r = " << store << ";\n";
    } else {
      s << "  v = " << glsl_store("vec4(" + result + ")", yv->dtype) << ".x;\n";
    }
    return s.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void arg_reduce(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  params::ArgReduce r = params::ArgReduce::parse(op.params);
  int axis = static_cast<int>(r.axis);
  std::vector<bool> reduced(xv->rank(), false);
  reduced[axis] = true;
  bool keep = r.keepdims, last = r.select_last_index;
  bool is_max = op.type == "ArgMax";
  Mapping m = map_axes(xv, reduced, keep, -1);
  element_kernel(op, p, y, [&](Kernel& k) {
    std::ostringstream s;
    Coords first = m.x;
    for (std::string& c : first)
      if (c == "r0") c = "0";
    s << "  float best = " << k.element(x, first) << ";\n  int at = 0;\n";
    s << "  for (int r0 = 1; r0 < " << xv->shape[axis] << "; r0++) {\n";
    s << "    float x = " << k.element(x, m.x) << ";\n";
    std::string cmp = is_max ? ">" : "<";
    s << "    if (x " << cmp << " best" << (last ? " || x == best" : "") << ") { best = x; at = r0; }\n  }\n";
    s << "  v = float(at);\n";
    return s.str();
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(reduce, nullptr, "ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceProd", "ReduceL1", "ReduceL2",
                   "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
WEBDNN_GLSL_KERNEL(arg_reduce, nullptr, "ArgMax", "ArgMin");

}  // namespace webdnn::backends::webgl
