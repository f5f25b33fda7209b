// Normalizations and Softmax. BatchNormalization and LRN: one invocation per element.
// InstanceNormalization, LayerNormalization, Softmax and LogSoftmax work on rows (an image
// channel, the trailing axes, the softmax axis): long rows get a workgroup of 256 each whose
// invocations split the row and combine sums and maxima in workgroup memory; short ones one
// invocation each. On GPUs every row of 128 or more gets a workgroup (an invocation looping over
// a row of Whisper's attention, 1500 scores, took 0.86 ms of a 9 ms run on an H100: 9000 rows
// are too few invocations to fill it); on SwiftShader only very long rows (64K elements or more),
// and fewer than 64 of them: its invocations are CPU threads' loop iterations, so rows fill it
// anyway, and each workgroup barrier costs tens of microseconds there (Whisper's 9
// LayerNormalizations of 1500 rows of 384 took 15 s a run with a workgroup a row).
// Statistics in two passes (mean, then squared deviations), as the reference computes them.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

constexpr int kRowGroup = 256;

// A row of `n` elements, element j at `base + j * step` (base a u32 expression of `row`), of
// `rows` alike. The kernel's body is written with loop() and total() for a Row, `wide` (a
// workgroup per row) or not; dispatch() makes the kernels.
struct Row {
  int64_t rows, n, step;
  std::string base;
  bool wide = false;
  bool subgroups = false;  // a wide row's totals through subgroup operations

  // A loop running `body` over the row's elements (this invocation's share of them), with `j` and
  // `at` (the element's index) defined.
  std::string loop(const std::string& body) const {
    return fill(R"(for (var j = ${start}; j < ${n}; j = j + ${stride}) {
  let at = base + j * ${step};
  ${body}
}
)", {{"start", wide ? "lid" : "0u"}, {"n", u32(n)}, {"stride", wide ? u32(kRowGroup) : "1u"},
     {"step", u32(step)}, {"body", body}});
  }
  // `v`, this invocation's part, combined over the row ("sum" or "max").
  std::string total(const std::string& kind, const std::string& v) const {
    return !wide ? v : "all_" + kind + (subgroups ? "(lid, sg_n, " : "(lid, ") + v + ")";
  }

  // `body(row)` for a Row of this shape, wide or not as each adapter wants it.
  template <class Body>
  void dispatch(const ir::Operator& op, Program& program, Body body, const std::string& extra = "") const {
    Row gpu = *this, cpu = *this;
    gpu.wide = n >= 128;
    cpu.wide = n >= 65536 && rows < 64;
    if (rows <= 0) return program.dispatch(op, "", 0);
    Program::Variant g = gpu.kernel(body(gpu), extra);
    Program::Variant c = gpu.wide == cpu.wide ? g : cpu.kernel(body(cpu), extra);
    if (!gpu.wide) return program.dispatch_variants(op, g, c);
    Row sg = gpu;
    sg.subgroups = true;
    Program::Variant s = sg.kernel(body(sg), extra);
    program.dispatch_variants(op, g, c, &s);
  }

  Program::Variant kernel(const std::string& body, const std::string& extra) const {
    if (!wide) return Program::over_threads("let row = i;\nlet base = " + base + ";\n" + body, rows, workgroup_for(rows), extra);
    // all_sum / all_max give every invocation of the workgroup the row's total.
    const char* all = R"(fn all_${kind}(lid: u32, v: f32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var s = ${half}; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = ${combine}; }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();
  return total;
}
)";
    std::string all_sum = subgroups ? subgroup_merge("all_sum", "${a} + ${b}", kRowGroup)
                                    : fill(all, {{"kind", "sum"}, {"half", u32(kRowGroup / 2)}, {"combine", "part[lid] + part[lid + s]"}});
    std::string all_max = subgroups ? subgroup_merge("all_max", "max(${a}, ${b})", kRowGroup)
                                    : fill(all, {{"kind", "max"}, {"half", u32(kRowGroup / 2)}, {"combine", "max(part[lid], part[lid + s])"}});
    std::string code = fill(R"(${enable}
${extra}
var<workgroup> part: array<f32, ${parts}>;
${all_sum}
${all_max}
@compute @workgroup_size(${group})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32${sg_n}) {
  let row = wid.y * 65535u + wid.x;
  ${guard}
  let base = ${base};
  ${body}
}
)", {{"enable", subgroups ? kEnableSubgroups : ""}, {"extra", extra}, {"group", std::to_string(kRowGroup)},
     {"parts", std::to_string(subgroups ? kRowGroup / 4 : kRowGroup)}, {"base", base}, {"body", body},
     {"all_sum", all_sum}, {"all_max", all_max},
     {"sg_n", subgroups ? kSubgroupSizeParameter : ""},
     {"guard", rows > 65535 ? "if (row >= " + u32(rows) + ") { return; }" : ""}});
    WEBDNN_CHECK(rows <= int64_t{65535} * 65535, "too many rows");
    return {code, {std::min<int64_t>(rows, 65535), ceil_div(rows, 65535), 1}};
  }
};

int64_t product(const Shape& s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t d = from; d < to; d++) n *= s[d];
  return n;
}

void batch_norm(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), scale = program.input("scale", op.inputs[1]),
          bias = program.input("bias", op.inputs[2]), mean = program.input("mean", op.inputs[3]),
          var = program.input("var", op.inputs[4]), y = program.output("y", op.outputs[0]);
  int64_t C = x.shape()[1], inner = product(x.shape(), 2, x.shape().size());
  double eps = params::Normalization::parse(op.params).epsilon;
  std::string body = fill(R"(let c = (i / ${inner}) % ${C};
let a = ${scale} / sqrt(${var} + ${eps});
${store}
)", {{"inner", u32(inner)}, {"C", u32(C)}, {"scale", scale.get("c")}, {"var", var.get("c")}, {"eps", f32(eps)},
     {"store", y.set("i", "(" + x.get("i") + " - " + mean.get("c") + ") * a + " + bias.get("c"))}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

void lrn(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::Lrn p = params::Lrn::parse(op.params);
  int64_t C = x.shape()[1], inner = product(x.shape(), 2, x.shape().size());
  int64_t back = (p.size - 1) / 2, forward = p.size - 1 - back;
  std::string body = fill(R"(let c = i32((i / ${inner}) % ${C});
var sum = 0.0;
for (var k = max(c - ${back}, 0i); k <= min(c + ${forward}, ${last}); k = k + 1i) {
  let v = ${neighbour};
  sum = sum + v * v;
}
${store}
)", {{"inner", u32(inner)}, {"C", u32(C)}, {"back", i32(back)}, {"forward", i32(forward)}, {"last", i32(C - 1)},
     {"neighbour", x.get("u32(i32(i) + (k - c) * " + i32(inner) + ")")},
     {"store", y.set("i", x.get("i") + " / pow(" + f32(p.bias) + " + " + f32(p.alpha / static_cast<double>(p.size)) +
                              " * sum, " + f32(p.beta) + ")")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

// Statements setting `mean` and `inv` = 1/sqrt(variance + eps) of the row, whose elements are `v`;
// `about_zero`: the mean is 0 (RMS statistics) and its pass is left out.
std::string moments(const Row& row, const std::string& v, double eps, bool about_zero = false) {
  const std::string mean = about_zero ? "let mean = 0.0;\n" : fill(R"(var s1 = 0.0;
${sum}
let mean = ${total1} / ${n};
)", {{"sum", row.loop("s1 = s1 + " + v + ";")}, {"total1", row.total("sum", "s1")}, {"n", f32(static_cast<double>(row.n))}});
  return mean + fill(R"(var s2 = 0.0;
${deviations}
let inv = 1.0 / sqrt(${total2} / ${n} + ${eps});
)", {{"n", f32(static_cast<double>(row.n))}, {"deviations", row.loop("let d = " + v + " - mean;\ns2 = s2 + d * d;")}, {"total2", row.total("sum", "s2")},
     {"eps", f32(eps)}});
}

void instance_norm(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), scale = program.input("scale", op.inputs[1]),
          bias = program.input("bias", op.inputs[2]), y = program.output("y", op.outputs[0]);
  int64_t C = x.shape()[1], inner = product(x.shape(), 2, x.shape().size());
  Row lines{x.shape()[0] * C, inner, 1, "row * " + u32(inner)};
  lines.dispatch(op, program, [&](const Row& row) {
    return moments(row, x.get("at"), params::Normalization::parse(op.params).epsilon) +
           fill(R"(let c = row % ${C};
let a = inv * ${scale};
let b = ${bias};
${normalize}
)", {{"C", u32(C)}, {"scale", scale.get("c")}, {"bias", bias.get("c")},
     {"normalize", row.loop(y.set("at", "(" + x.get("at") + " - mean) * a + b"))}});
  });
}

void layer_norm(const ir::Operator& op, Program& program) {
  const Shape& shape = op.inputs[0]->shape;
  params::LayerNormalization p = params::LayerNormalization::parse(op.params);
  size_t axis = static_cast<size_t>(p.axis);
  int64_t rows = product(shape, 0, axis), n = product(shape, axis, shape.size());
  Row lines{rows, n, 1, "row * " + u32(n)};
  Operand x = program.input("x", op.inputs[0]);
  // Scale and bias at element `at`, broadcast to X: straight when they are X's trailing axes,
  // else through a function finding X's coordinates.
  std::string extra;
  auto param = [&](const std::string& name, const ir::Variable* v) {
    Operand o = program.input(name, v);
    Shape s = v->shape;
    while (!s.empty() && s[0] == 1) s.erase(s.begin());
    Shape tail(shape.end() - static_cast<long>(std::min(s.size(), shape.size())), shape.end());
    if (v->size() == 1) return o.get("0u");
    if (s == tail && s.size() <= shape.size() - axis) return o.get("at % " + u32(v->size()));
    extra += fill(R"(fn ${name}_at(at: u32) -> f32 {
  ${coordinates}
  return ${value};
}
)", {{"name", name}, {"coordinates", coordinates(shape, "at", "c")}, {"value", o.broadcast(shape, "at", "c")}});
    return name + "_at(at)";
  };
  std::string scale = param("scale", op.inputs[1]);
  std::string bias = op.inputs.size() > 2 ? " + " + param("bias", op.inputs[2]) : "";
  Operand y = program.output("y", op.outputs[0]);
  lines.dispatch(op, program, [&](const Row& row) {
    return moments(row, x.get("at"), p.epsilon, p.rms) + row.loop(y.set("at", "(" + x.get("at") + " - mean) * inv * " + scale + bias));
  }, extra);
}

void softmax(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  int64_t outer = product(x.shape(), 0, axis), n = x.shape()[axis], inner = product(x.shape(), axis + 1, x.shape().size());
  std::string base = inner == 1 ? "row * " + u32(n)
                                : "(row / " + u32(inner) + ") * " + u32(n * inner) + " + row % " + u32(inner);
  Row rows{outer * inner, n, inner, base};
  const std::string v = x.get("at");
  rows.dispatch(op, program, [&](const Row& row) {
    return fill(R"(var m = -bitcast<f32>(k_inf);
${max}
let mx = ${total_max};
var s1 = 0.0;
${sum}
let sum = ${total_sum};
${normalize}
)", {{"max", row.loop("m = max(m, " + v + ");")}, {"total_max", row.total("max", "m")},
     {"sum", row.loop("s1 = s1 + exp(" + v + " - mx);")}, {"total_sum", row.total("sum", "s1")},
     {"normalize", op.type == "LogSoftmax" ? "let ls = log(sum);\n" + row.loop(y.set("at", v + " - mx - ls"))
                                           : "let is = 1.0 / sum;\n" + row.loop(y.set("at", "exp(" + v + " - mx) * is"))}});
  });
}

}  // namespace

WEBDNN_WGSL_KERNEL(batch_norm, "BatchNormalization");
WEBDNN_WGSL_KERNEL(lrn, "LRN");
WEBDNN_WGSL_KERNEL(instance_norm, "InstanceNormalization");
WEBDNN_WGSL_KERNEL(layer_norm, "LayerNormalization");
WEBDNN_WGSL_KERNEL(softmax, "Softmax", "LogSoftmax");
// Rows read element by element: a channels-last block's LayerNormalization reads the transposed
// image in place (ConvNeXt's Transpose, LayerNorm, ..., Transpose back).
WEBDNN_WGSL_READS_VIEWS("LayerNormalization", "InstanceNormalization", "Softmax", "LogSoftmax");

}  // namespace webdnn::backends::webgpu
