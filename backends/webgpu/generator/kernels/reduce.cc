// Reductions (ReduceMax ... ReduceLogSumExp, the kernel parameter "reduce" of the reference) and
// ArgMax/ArgMin. An output element's members are found from its flat index: the kept axes give
// the start, the reduced ones a sub-index (one stride when they are adjacent axes). Many outputs:
// one invocation each, looping over its members. Few outputs with many members: a workgroup of
// 256 each, its invocations splitting the members and combining in workgroup memory.
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

// Index math of a reduction: `base`, the offset of output element o's first member, and member
// r's offset from it.
struct Members {
  std::string base;    // expression of `o`
  std::string offset;  // expression of `r`
  int64_t count = 1;   // members per output
};

// The offset of flat index `var` over axes of `shape` (row-major among themselves) that lie
// `strides` apart in the input.
std::string spread(const std::string& var, const Shape& shape, const Shape& strides) {
  std::string s;
  int64_t inner = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] > 1)
      s += (s.empty() ? "" : " + ") + std::string("((") + var + " / " + u32(inner) + ") % " + u32(shape[d]) + ") * " +
           u32(strides[d]);
    inner *= shape[d];
  }
  return s.empty() ? "0u" : s;
}

Members members(const Shape& shape, const std::vector<bool>& reduced) {
  Shape strides = strides_of(shape);
  Members m;
  Shape kept_shape, kept_strides, red_shape, red_strides;
  for (size_t a = 0; a < shape.size(); a++) {
    (reduced[a] ? red_shape : kept_shape).push_back(shape[a]);
    (reduced[a] ? red_strides : kept_strides).push_back(strides[a]);
  }
  m.count = num_elements(red_shape);
  m.base = spread("o", kept_shape, kept_strides);
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
  if (!any) m.offset = "0u";
  else if (adjacent) m.offset = strides[last] == 1 ? "r" : "r * " + u32(strides[last]);
  else m.offset = spread("r", red_shape, red_strides);
  return m;
}

// Many outputs, or few members each: an invocation per output.
const char* kReduceEach = R"(let o = i;
let base = ${base};
let count = ${count};
${maximum}
var acc = ${init};
for (var r = 0u; r < ${members}; r = r + 1u) { let v = ${v}; acc = ${step}; }
${store}
)";

// Few outputs with many members: a workgroup per output, its invocations splitting the members
// and merging their parts in workgroup memory.
// `all` ends with `total`, the merge of every invocation's `acc` (Kind::merge).
const char* kReduceGroup = R"(${enable}
var<workgroup> part: array<f32, ${parts}>;
fn merge(a: f32, b: f32) -> f32 { return ${merge}; }
${merge_max}
${subgroup_merges}
@compute @workgroup_size(${group})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32${sg_n}) {
  let o = min(wid.y * 65535u + wid.x, ${last});
  let base = ${base};
  let count = ${count};
  var mx = 0.0;
  ${maximum}
  var acc = ${init};
  for (var r = lid; r < ${members}; r = r + ${group}u) { let v = ${v}; acc = ${step}; }
  ${all}
  if ((lid == 0u) & (wid.y * 65535u + wid.x < ${outputs})) {
    let acc = total;
    ${store}
  }
}
)";

void reduce(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  std::vector<bool> reduced(x.shape().size(), false);
  for (int64_t a : params::Reduce::parse(op.params).axes) reduced[a] = true;
  std::string name = op.type == "ReduceMax" ? "max" : op.type == "ReduceMin" ? "min" : op.type == "ReduceSum" ? "sum"
                   : op.type == "ReduceMean" ? "mean" : op.type == "ReduceProd" ? "prod" : op.type == "ReduceL1" ? "l1"
                   : op.type == "ReduceL2" ? "l2" : op.type == "ReduceSumSquare" ? "sum_square"
                   : op.type == "ReduceLogSum" ? "log_sum" : "log_sum_exp";
  Kind k = kind_of(name);
  Members mb = members(x.shape(), reduced);
  const int64_t outputs = y.variable->size();
  const std::string v = x.get("base + " + mb.offset);
  const std::string result = k.two_pass ? "select(" + k.final + ", mx, abs(mx) == bitcast<f32>(k_inf))" : k.final;
  if (outputs >= 512 || mb.count < 256) {
    std::string maximum = k.two_pass ? "var mx = -bitcast<f32>(k_inf);\nfor (var r = 0u; r < " + u32(mb.count) +
                                           "; r = r + 1u) { let v = " + v + "; mx = max_n(mx, v); }"
                                     : "";
    std::string body = fill(kReduceEach, {{"base", mb.base}, {"count", f32(static_cast<double>(mb.count))},
                                          {"maximum", maximum}, {"init", k.init}, {"members", u32(mb.count)}, {"v", v},
                                          {"step", k.step}, {"store", y.set("i", result)}});
    program.dispatch(op, body, outputs, workgroup_for(outputs));
    return;
  }
  const int T = 256;
  auto kernel = [&](bool subgroups) {
    // `part` merged by `fn` into every invocation's `into`: through subgroups (subgroup_merge), or
    // by halving steps that leave part[0] holding the merge of all parts.
    auto merged = [&](const std::string& fn, const std::string& value, const std::string& into) {
      if (subgroups) return into + " = all_" + fn + "(lid, sg_n, " + value + ");\n";
      std::string c = "part[lid] = " + value + ";\nworkgroupBarrier();\n";
      for (int s = T / 2; s >= 1; s /= 2)
        c += "if (lid < " + u32(s) + ") { part[lid] = " + fn + "(part[lid], part[lid + " + u32(s) + "]); }\nworkgroupBarrier();\n";
      return c + into + " = part[0];\n";
    };
    std::string maximum;
    if (k.two_pass)
      maximum = "var m = -bitcast<f32>(k_inf);\nfor (var r = lid; r < " + u32(mb.count) + "; r = r + " + u32(T) +
                ") { let v = " + v + "; m = max_n(m, v); }\n" + merged("merge_max", "m", "mx") + "workgroupBarrier();";
    std::string merges = !subgroups ? ""
                         : subgroup_merge("all_merge", "merge(${a}, ${b})", T) +
                               (k.two_pass ? subgroup_merge("all_merge_max", "merge_max(${a}, ${b})", T) : "");
    std::string code = fill(kReduceGroup, {{"enable", subgroups ? kEnableSubgroups : ""}, {"group", std::to_string(T)},
                                           {"parts", std::to_string(subgroups ? T / 4 : T)}, {"merge", k.merge},
                                           {"merge_max", k.two_pass ? "fn merge_max(a: f32, b: f32) -> f32 { return max_n(a, b); }" : ""},
                                           {"subgroup_merges", merges}, {"sg_n", subgroups ? kSubgroupSizeParameter : ""},
                                           {"last", u32(outputs - 1)}, {"base", mb.base},
                                           {"count", f32(static_cast<double>(mb.count))}, {"maximum", maximum},
                                           {"init", k.init}, {"members", u32(mb.count)}, {"v", v}, {"step", k.step},
                                           {"all", "var total = 0.0;\n" + merged("merge", "acc", "total")},
                                           {"outputs", u32(outputs)}, {"store", y.set("o", result)}});
    return Program::Variant{code, {std::min<int64_t>(outputs, 65535), ceil_div(outputs, 65535), 1}};
  };
  Program::Variant plain = kernel(false), subgroups = kernel(true);
  program.dispatch_variants(op, plain, plain, &subgroups);
}

void arg_reduce(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::ArgReduce p = params::ArgReduce::parse(op.params);
  std::vector<bool> reduced(x.shape().size(), false);
  reduced[static_cast<size_t>(p.axis)] = true;
  Members mb = members(x.shape(), reduced);
  const std::string v = x.get("base + " + mb.offset);
  std::string body = fill(R"(let o = i;
let base = ${base};
var r = 0u;
var best = ${v};
var at = 0u;
for (r = 1u; r < ${members}; r = r + 1u) {
  let v = ${v};
  let better = ${better};
  best = select(best, v, better);
  at = select(at, r, better);
}
${store}
)", {{"base", mb.base}, {"v", v}, {"members", u32(mb.count)},
     {"better", std::string(op.type == "ArgMax" ? "(v > best)" : "(v < best)") + (p.select_last_index ? " | (v == best)" : "")},
     {"store", y.set("i", "f32(at)")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(reduce, "ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceProd", "ReduceL1", "ReduceL2",
                   "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
WEBDNN_WGSL_KERNEL(arg_reduce, "ArgMax", "ArgMin");

}  // namespace webdnn::backends::webgpu
