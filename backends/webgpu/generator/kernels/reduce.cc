// Reductions (ReduceMax ... ReduceLogSumExp, the kernel parameter "reduce" of the reference) and
// ArgMax/ArgMin. An output element's members are found from its flat index: the kept axes give
// the start, the reduced ones a sub-index (one stride when they are adjacent axes). Many outputs:
// one invocation each, looping over its members. Few outputs with many members: a workgroup of
// 256 each, its invocations splitting the members and combining in workgroup memory.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

struct Kind {
  std::string init, step, merge, final;  // step/merge: acc from (acc, v) / (a, b); final from acc, count
  bool two_pass = false;                  // log_sum_exp: the maximum first
};

Kind kind_of(const std::string& name) {
  const std::string inf = "bitcast<f32>(k_inf)";
  if (name == "max") return {"-" + inf, "max_n(acc, v)", "max_n(a, b)", "acc"};
  if (name == "min") return {inf, "min_n(acc, v)", "min_n(a, b)", "acc"};
  if (name == "sum") return {"0.0", "acc + v", "a + b", "acc"};
  if (name == "mean") return {"0.0", "acc + v", "a + b", "acc / count"};
  if (name == "prod") return {"1.0", "acc * v", "a * b", "acc"};
  if (name == "l1") return {"0.0", "acc + abs(v)", "a + b", "acc"};
  if (name == "l2") return {"0.0", "acc + v * v", "a + b", "sqrt(acc)"};
  if (name == "sum_square") return {"0.0", "acc + v * v", "a + b", "acc"};
  if (name == "log_sum") return {"0.0", "acc + v", "a + b", "log(acc)"};
  if (name == "log_sum_exp") return {"0.0", "acc + exp(v - mx)", "a + b", "mx + log(acc)", true};
  fail("unknown reduction '", name, "'");
}

// Index math of a reduction: `base` of output element o, member r's offset from it.
struct Members {
  std::string base_code;  // statements defining `base` from `o`
  std::string offset;     // expression of `r`
  int64_t count = 1;      // members per output
};

Members members(const Shape& shape, const std::vector<bool>& reduced) {
  Shape strides = strides_of(shape);
  Members m;
  Shape kept_shape, kept_strides, red_shape, red_strides;
  for (size_t a = 0; a < shape.size(); a++) {
    (reduced[a] ? red_shape : kept_shape).push_back(shape[a]);
    (reduced[a] ? red_strides : kept_strides).push_back(strides[a]);
  }
  m.count = num_elements(red_shape);
  std::string base;
  int64_t inner = 1;
  for (size_t d = kept_shape.size(); d-- > 0;) {
    if (kept_shape[d] > 1)
      base += (base.empty() ? "" : " + ") + std::string("((o / ") + u32(inner) + ") % " + u32(kept_shape[d]) + ") * " +
              u32(kept_strides[d]);
    inner *= kept_shape[d];
  }
  m.base_code = "  let base = " + (base.empty() ? std::string("0u") : base) + ";\n";
  // Adjacent reduced axes: member r is r times the innermost one's stride.
  size_t first = 0, last = 0;
  bool any = false;
  for (size_t a = 0; a < shape.size(); a++)
    if (reduced[a] && shape[a] > 1) {
      if (!any) first = a;
      last = a;
      any = true;
    }
  bool adjacent = any;
  for (size_t a = first; any && a <= last; a++) adjacent &= reduced[a] || shape[a] == 1;
  if (!any) {
    m.offset = "0u";
  } else if (adjacent) {
    m.offset = strides[last] == 1 ? "r" : "r * " + u32(strides[last]);
  } else {
    std::string off;
    int64_t in = 1;
    for (size_t d = red_shape.size(); d-- > 0;) {
      if (red_shape[d] > 1)
        off += (off.empty() ? "" : " + ") + std::string("((r / ") + u32(in) + ") % " + u32(red_shape[d]) + ") * " +
               u32(red_strides[d]);
      in *= red_shape[d];
    }
    m.offset = off;
  }
  return m;
}

void reduce(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  std::vector<bool> reduced(x->rank(), false);
  for (int64_t a : params::Reduce::parse(op.params).axes) reduced[a] = true;
  std::string name = op.type == "ReduceMax" ? "max" : op.type == "ReduceMin" ? "min" : op.type == "ReduceSum" ? "sum"
                   : op.type == "ReduceMean" ? "mean" : op.type == "ReduceProd" ? "prod" : op.type == "ReduceL1" ? "l1"
                   : op.type == "ReduceL2" ? "l2" : op.type == "ReduceSumSquare" ? "sum_square"
                   : op.type == "ReduceLogSum" ? "log_sum" : "log_sum_exp";
  Kind k = kind_of(name);
  Members mb = members(x->shape, reduced);
  int64_t outputs = y->size();
  std::string v = program.read(x, "base + " + mb.offset);
  std::ostringstream b;
  if (outputs >= 512 || mb.count < 256) {
    b << "  let o = i;\n" << mb.base_code << "  let count = " << f32(static_cast<double>(mb.count)) << ";\n";
    if (k.two_pass) {
      b << "  var mx = -bitcast<f32>(k_inf);\n"
        << "  for (var r = 0u; r < " << u32(mb.count) << "; r = r + 1u) { let v = " << v << "; mx = max_n(mx, v); }\n";
    }
    b << "  var acc = " << k.init << ";\n"
      << "  for (var r = 0u; r < " << u32(mb.count) << "; r = r + 1u) { let v = " << v << "; acc = " << k.step << "; }\n";
    std::string result = k.final;
    if (k.two_pass) result = "select(" + k.final + ", mx, abs(mx) == bitcast<f32>(k_inf))";
    b << "  " << program.write(y, "i") << " = " << cast_value(y->dtype, result) << ";\n";
    program.dispatch(op, b.str(), outputs, workgroup_for(outputs));
    return;
  }
  // A workgroup per output.
  const int T = 256;
  std::ostringstream c;
  c << "var<workgroup> part: array<f32, " << T << ">;\n"
    << "fn merge(a: f32, b: f32) -> f32 { return " << k.merge << "; }\n"
    << "fn merge_max(a: f32, b: f32) -> f32 { return max_n(a, b); }\n"
    << "@compute @workgroup_size(" << T << ")\n"
    << "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
    << "  let o = min(wid.y * 65535u + wid.x, " << u32(outputs - 1) << ");\n"
    << mb.base_code << "  let count = " << f32(static_cast<double>(mb.count)) << ";\n";
  auto tree = [&](const std::string& fn) {
    for (int s = T / 2; s >= 1; s /= 2)
      c << "  if (lid < " << u32(s) << ") { part[lid] = " << fn << "(part[lid], part[lid + " << u32(s) << "]); }\n"
        << "  workgroupBarrier();\n";
  };
  c << "  var mx = 0.0;\n";
  if (k.two_pass) {
    c << "  var m = -bitcast<f32>(k_inf);\n"
      << "  for (var r = lid; r < " << u32(mb.count) << "; r = r + " << u32(T) << ") { let v = " << v << "; m = max_n(m, v); }\n"
      << "  part[lid] = m;\n  workgroupBarrier();\n";
    tree("merge_max");
    c << "  mx = part[0];\n  workgroupBarrier();\n";
  }
  c << "  var acc = " << k.init << ";\n"
    << "  for (var r = lid; r < " << u32(mb.count) << "; r = r + " << u32(T) << ") { let v = " << v << "; acc = " << k.step
    << "; }\n"
    << "  part[lid] = acc;\n  workgroupBarrier();\n";
  tree("merge");
  std::string result = k.final;
  if (k.two_pass) result = "select(" + k.final + ", mx, abs(mx) == bitcast<f32>(k_inf))";
  c << "  if ((lid == 0u) & (wid.y * 65535u + wid.x < " << u32(outputs) << ")) {\n    let acc = part[0];\n    " << program.write(y, "o") << " = "
    << cast_value(y->dtype, result) << ";\n  }\n}\n";
  program.dispatch_raw(op, c.str(), {std::min<int64_t>(outputs, 65535), ceil_div(outputs, 65535), 1});
}

void arg_reduce(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::ArgReduce p = params::ArgReduce::parse(op.params);
  int axis = static_cast<int>(p.axis);
  bool last = p.select_last_index, is_max = op.type == "ArgMax";
  std::vector<bool> reduced(x->rank(), false);
  reduced[axis] = true;
  Members mb = members(x->shape, reduced);
  std::string v = program.read(x, "base + " + mb.offset);
  std::string cmp = is_max ? ">" : "<";
  std::ostringstream b;
  b << "  let o = i;\n" << mb.base_code << "  var r = 0u;\n  var best = " << v << ";\n  var at = 0u;\n"
    << "  for (r = 1u; r < " << u32(mb.count) << "; r = r + 1u) {\n"
    << "    let v = " << v << ";\n"
    << "    let better = (v " << cmp << " best)" << (last ? " | (v == best)" : "") << ";\n"
    << "    best = select(best, v, better);\n    at = select(at, r, better);\n"
    << "  }\n"
    << "  " << program.write(y, "i") << " = f32(at);\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(reduce, "ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceProd", "ReduceL1", "ReduceL2",
                   "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
WEBDNN_WGSL_KERNEL(arg_reduce, "ArgMax", "ArgMin");

}  // namespace webdnn::backends::webgpu
