// Normalizations and Softmax. BatchNormalization and LRN: one invocation per element.
// InstanceNormalization, LayerNormalization, Softmax and LogSoftmax work on rows (an image
// channel, the trailing axes, the softmax axis): long rows get a workgroup of 256 each whose
// invocations split the row and combine sums and maxima in workgroup memory; short ones (or
// many rows) one invocation each. Statistics in two passes (mean, then squared deviations), as
// the reference computes them.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

constexpr int kRowGroup = 256;

// A row of `n` elements, element j at `base + j * step` (base defined from `row`).
struct Row {
  int64_t rows, n, step;
  std::string base;  // u32 expression of `row`
  bool parallel() const { return n >= 256 && rows < 4096; }
};

// Helpers for workgroup rows: all_sum / all_max give every invocation the total.
std::string row_helpers() {
  std::ostringstream s;
  s << "var<workgroup> part: array<f32, " << kRowGroup << ">;\n";
  for (auto [name, op] : {std::pair<const char*, const char*>{"all_sum", "part[lid] + part[lid + s]"},
                          std::pair<const char*, const char*>{"all_max", "max(part[lid], part[lid + s])"}}) {
    s << "fn " << name << "(lid: u32, v: f32) -> f32 {\n"
      << "  part[lid] = v;\n  workgroupBarrier();\n"
      << "  for (var s = " << u32(kRowGroup / 2) << "; s > 0u; s = s >> 1u) {\n"
      << "    if (lid < s) { part[lid] = " << op << "; }\n    workgroupBarrier();\n  }\n"
      << "  let total = part[0];\n  workgroupBarrier();\n  return total;\n}\n";
  }
  return s.str();
}

// Emits a row kernel. `body(loop, total)` writes the statements: loop(var, stmt) is a loop over the
// row's elements (this invocation's share of them) with `j` and `at` (the element's index)
// defined; total(kind, v) combines a per-invocation value over the row ("sum" or "max").
void row_kernel(const ir::Operator& op, Program& program, const Row& row, const std::string& extra,
                const std::function<std::string(std::function<std::string(const std::string&)>,
                                                 std::function<std::string(const std::string&, const std::string&)>)>& body) {
  const bool par = row.parallel();
  auto loop = [&](const std::string& stmt) {
    std::string start = par ? "lid" : "0u", stride = par ? u32(kRowGroup) : "1u";
    return "  for (var j = " + start + "; j < " + u32(row.n) + "; j = j + " + stride + ") {\n    let at = base + j * " +
           u32(row.step) + ";\n" + stmt + "  }\n";
  };
  auto total = [&](const std::string& kind, const std::string& v) {
    return par ? "all_" + kind + "(lid, " + v + ")" : v;
  };
  std::string code = "  let base = " + row.base + ";\n" + body(loop, total);
  if (!par) {
    program.dispatch(op, "  let row = i;\n" + code, row.rows, workgroup_for(row.rows), extra);
    return;
  }
  std::ostringstream c;
  c << extra << row_helpers() << "@compute @workgroup_size(" << kRowGroup << ")\n"
    << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
    << "  let row = wid.y * 65535u + wid.x;\n"
    << (row.rows > 65535 ? "  if (row >= " + u32(row.rows) + ") { return; }\n" : std::string())
    << code << "}\n";
  WEBDNN_CHECK(row.rows <= int64_t{65535} * 65535, "too many rows");
  program.dispatch_raw(op, c.str(), {std::min<int64_t>(row.rows, 65535), ceil_div(row.rows, 65535), 1});
}

int64_t product(const Shape& s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t d = from; d < to; d++) n *= s[d];
  return n;
}

void batch_norm(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  int64_t C = x->shape[1], inner = product(x->shape, 2, x->shape.size());
  double eps = params::Normalization::parse(op.params).epsilon;
  std::ostringstream b;
  b << "  let c = (i / " << u32(inner) << ") % " << u32(C) << ";\n"
    << "  let a = " << program.read(op.inputs[1], "c") << " / sqrt(" << program.read(op.inputs[4], "c") << " + " << f32(eps)
    << ");\n"
    << "  " << program.write(y, "i") << " = (" << program.read(x, "i") << " - " << program.read(op.inputs[3], "c")
    << ") * a + " << program.read(op.inputs[2], "c") << ";\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

void lrn(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::Lrn p = params::Lrn::parse(op.params);
  int64_t size = p.size;
  double alpha = p.alpha, beta = p.beta, bias = p.bias;
  int64_t C = x->shape[1], inner = product(x->shape, 2, x->shape.size());
  int64_t back = (size - 1) / 2, forward = size - 1 - back;
  std::ostringstream b;
  b << "  let c = i32((i / " << u32(inner) << ") % " << u32(C) << ");\n"
    << "  var sum = 0.0;\n"
    << "  for (var k = max(c - " << i32(back) << ", 0i); k <= min(c + " << i32(forward) << ", " << i32(C - 1)
    << "); k = k + 1i) {\n"
    << "    let v = " << program.read(x, "u32(i32(i) + (k - c) * " + i32(inner) + ")") << ";\n"
    << "    sum = sum + v * v;\n  }\n"
    << "  " << program.write(y, "i") << " = " << program.read(x, "i") << " / pow(" << f32(bias) << " + "
    << f32(alpha / static_cast<double>(size)) << " * sum, " << f32(beta) << ");\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

// Mean and 1/sqrt(var + eps) of the row into `mean` and `inv`.
std::string moments(const std::function<std::string(const std::string&)>& loop,
                    const std::function<std::string(const std::string&, const std::string&)>& total,
                    const std::string& v, int64_t n, double eps) {
  std::string s = "  var s1 = 0.0;\n" + loop("    s1 = s1 + " + v + ";\n");
  s += "  let mean = " + total("sum", "s1") + " / " + f32(static_cast<double>(n)) + ";\n";
  s += "  var s2 = 0.0;\n" + loop("    let d = " + v + " - mean;\n    s2 = s2 + d * d;\n");
  s += "  let inv = 1.0 / sqrt(" + total("sum", "s2") + " / " + f32(static_cast<double>(n)) + " + " + f32(eps) + ");\n";
  return s;
}

void instance_norm(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  int64_t C = x->shape[1], inner = product(x->shape, 2, x->shape.size());
  double eps = params::Normalization::parse(op.params).epsilon;
  Row row{x->shape[0] * C, inner, 1, "row * " + u32(inner)};
  std::string xv = program.read(x, "at");
  row_kernel(op, program, row, "", [&](auto loop, auto total) {
    std::string s = moments(loop, total, xv, inner, eps);
    s += "  let c = row % " + u32(C) + ";\n";
    s += "  let a = inv * " + program.read(op.inputs[1], "c") + ";\n";
    s += "  let b = " + program.read(op.inputs[2], "c") + ";\n";
    s += loop("    " + program.write(y, "at") + " = (" + xv + " - mean) * a + b;\n");
    return s;
  });
}

void layer_norm(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::LayerNormalization p = params::LayerNormalization::parse(op.params);
  size_t axis = static_cast<size_t>(p.axis);
  double eps = p.epsilon;
  int64_t rows = product(x->shape, 0, axis), n = product(x->shape, axis, x->shape.size());
  Row row{rows, n, 1, "row * " + u32(n)};
  std::string xv = program.read(x, "at");
  // Scale and bias at element `at`, broadcast to X: straight when they are X's trailing axes.
  std::string extra;
  auto param = [&](size_t k) {
    const ir::Variable* p = op.inputs[k];
    Shape s = p->shape;
    while (!s.empty() && s[0] == 1) s.erase(s.begin());
    Shape tail(x->shape.end() - static_cast<long>(std::min(s.size(), x->shape.size())), x->shape.end());
    if (p->size() == 1) return program.read(p, "0u");
    if (s == tail && s.size() <= x->shape.size() - axis) return program.read(p, "at % " + u32(p->size()));
    extra += "fn param_" + std::to_string(k) + "(at: u32) -> f32 {\n" + coordinates(x->shape, "at", "c") + "  return " +
             program.read(p, broadcast_index(p->shape, x->shape, "c")) + ";\n}\n";
    return "param_" + std::to_string(k) + "(at)";
  };
  std::string scale = param(1), bias = op.inputs.size() > 2 ? " + " + param(2) : "";
  row_kernel(op, program, row, extra, [&](auto loop, auto total) {
    std::string s = moments(loop, total, xv, n, eps);
    s += loop("    " + program.write(y, "at") + " = (" + xv + " - mean) * inv * " + scale + bias + ";\n");
    return s;
  });
}

void softmax(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  bool log = op.type == "LogSoftmax";
  int64_t outer = product(x->shape, 0, axis), n = x->shape[axis], inner = product(x->shape, axis + 1, x->shape.size());
  std::string base = inner == 1 ? "row * " + u32(n)
                                : "(row / " + u32(inner) + ") * " + u32(n * inner) + " + row % " + u32(inner);
  Row row{outer * inner, n, inner, base};
  std::string xv = program.read(x, "at");
  row_kernel(op, program, row, "", [&](auto loop, auto total) {
    std::string s = "  var m = -bitcast<f32>(k_inf);\n" + loop("    m = max(m, " + xv + ");\n");
    s += "  let mx = " + total("max", "m") + ";\n";
    s += "  var s1 = 0.0;\n" + loop("    s1 = s1 + exp(" + xv + " - mx);\n");
    s += "  let sum = " + total("sum", "s1") + ";\n";
    s += log ? "  let ls = log(sum);\n" + loop("    " + program.write(y, "at") + " = " + xv + " - mx - ls;\n")
             : "  let is = 1.0 / sum;\n" + loop("    " + program.write(y, "at") + " = exp(" + xv + " - mx) * is;\n");
    return s;
  });
}

}  // namespace

WEBDNN_WGSL_KERNEL(batch_norm, "BatchNormalization");
WEBDNN_WGSL_KERNEL(lrn, "LRN");
WEBDNN_WGSL_KERNEL(instance_norm, "InstanceNormalization");
WEBDNN_WGSL_KERNEL(layer_norm, "LayerNormalization");
WEBDNN_WGSL_KERNEL(softmax, "Softmax", "LogSoftmax");

}  // namespace webdnn::backends::webgpu
