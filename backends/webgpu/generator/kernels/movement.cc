// Operators that move data (every variable row-major): one invocation per output element, which
// finds the element it copies. Reshape and Relayout copy (or nothing, when the memory plan
// handed the input's memory over); Transpose, Slice, Tile and DepthToSpace compute the source
// index; Pad reads per-axis source tables made with the reference's own index map; Concat picks
// the input by the coordinate along its axis, Split (one invocation per input element) the
// output.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "runtime/kernels/reference/index_maps.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

void copy(const ir::Operator& op, Program& program) {
  if (program.same_memory(op.inputs[0], op.outputs[0])) return;
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  program.dispatch(op, y.set("i", x.get("i")) + "\n", y.variable->size(), workgroup_for(y.variable->size()));
}

// A transpose in its input's memory (the memory plan's doing: a view that backend.cc chose, or
// a permutation of axes of extent 1) dispatches nothing: its readers find its element at index i
// in the input through the permutation.
void transpose(const ir::Operator& op, Program& program) {
  std::vector<int64_t> perm = params::Transpose::parse(op.params).perm;
  const ir::Variable *in = op.inputs[0], *out = op.outputs[0];
  if (!in->is_constant() && program.same_memory(in, out)) {
    const Shape out_shape = out->shape, in_strides = strides_of(in->shape), out_strides = strides_of(out_shape);
    // Axes of extent 1 moved alone: the same elements in the same order.
    int64_t last = -1;
    bool same_order = true;
    for (size_t d = 0; d < perm.size(); d++)
      if (out_shape[d] > 1) same_order &= perm[d] > last, last = perm[d];
    if (same_order) return program.view(out, in, [](const std::string& i) { return i; });
    return program.view(out, in, [=](const std::string& i) {
      std::string s;
      for (size_t d = 0; d < perm.size(); d++) {
        if (out_shape[d] == 1) continue;
        std::string c = "((" + i + ") / " + u32(out_strides[d]) + ")";
        if (out_strides[d] * out_shape[d] < num_elements(out_shape)) c = "(" + c + " % " + u32(out_shape[d]) + ")";
        s += (s.empty() ? "" : " + ") + c + " * " + u32(in_strides[perm[d]]);
      }
      return s.empty() ? std::string("0u") : "(" + s + ")";
    });
  }
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  // Output coordinate d is input coordinate perm[d].
  std::vector<std::string> at(perm.size());
  for (size_t d = 0; d < perm.size(); d++) at[perm[d]] = "c" + std::to_string(d);
  std::string body = coordinates(y.shape(), "i", "c") + y.set("i", x.at(at)) + "\n";
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

void slice(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::Slice p = params::Slice::parse(op.params);
  const Shape starts = params::numbers_of(p.starts, "parameter 'starts'");
  const std::vector<int64_t>& steps = p.steps;
  Shape xs = strides_of(x.shape());
  int64_t base = 0;
  std::string index;
  for (size_t d = 0; d < starts.size(); d++) {
    base += starts[d] * xs[d];
    if (y.shape()[d] > 1) index += " + i32(c" + std::to_string(d) + ") * " + i32(steps[d] * xs[d]);
  }
  std::string body = coordinates(y.shape(), "i", "c") + y.set("i", x.get("u32(" + i32(base) + index + ")")) + "\n";
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

void tile(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  std::vector<std::string> at;
  for (size_t d = 0; d < x.shape().size(); d++) at.push_back("(c" + std::to_string(d) + " % " + u32(x.shape()[d]) + ")");
  std::string body = coordinates(y.shape(), "i", "c") + y.set("i", x.at(at)) + "\n";
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

void pad(const ir::Operator& op, Program& program) {
  params::Pad p = params::Pad::parse(op.params);
  const std::vector<int64_t>& pads = p.pads;
  const Shape &in = op.inputs[0]->shape, &out = op.outputs[0]->shape;
  const int rank = static_cast<int>(in.size());
  // Per axis, the input coordinate of each output coordinate (-1: the constant).
  std::vector<float> table;
  std::vector<int64_t> starts;
  for (int d = 0; d < rank; d++) {
    starts.push_back(static_cast<int64_t>(table.size()));
    for (int64_t o = 0; o < out[d]; o++)
      table.push_back(static_cast<float>(runtime::reference::pad_source(o, pads[d], pads[d + rank], in[d], p.mode)));
  }
  Operand t = program.input("source", program.table(table));
  std::string body = coordinates(out, "i", "c");
  std::vector<std::string> at;
  std::string inside;
  for (int d = 0; d < rank; d++) {
    std::string s = "s" + std::to_string(d);
    body += "let " + s + " = i32(" + t.get(u32(starts[d]) + " + c" + std::to_string(d)) + ");\n";
    at.push_back("u32(max(" + s + ", 0i))");
    inside += (inside.empty() ? "" : " & ") + std::string("(") + s + " >= 0i)";
  }
  if (inside.empty()) inside = "true";
  std::string v = f32(p.value);
  if (op.inputs[0]->size() > 0) v = "select(" + v + ", " + program.input("x", op.inputs[0]).at(at) + ", " + inside + ")";
  Operand y = program.output("y", op.outputs[0]);
  program.dispatch(op, body + y.set("i", v) + "\n", y.variable->size(), workgroup_for(y.variable->size()));
}

void depth_to_space(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::DepthToSpace p = params::DepthToSpace::parse(op.params);
  const int64_t b = p.blocksize, OC = y.shape()[1];
  const std::string B = u32(b);
  std::string body = coordinates(y.shape(), "i", "c") + "let bh = c2 % " + B + ";\nlet bw = c3 % " + B + ";\n";
  body += p.dcr ? "let ch = (bh * " + B + " + bw) * " + u32(OC) + " + c1;\n" : "let ch = (c1 * " + B + " + bh) * " + B + " + bw;\n";
  body += y.set("i", x.at({"c0", "ch", "c2 / " + B, "c3 / " + B})) + "\n";
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

// Concat's output and Split's input as [outer, axis, inner]: statements finding element i's
// place there (o, a, q), and the index of that place in a piece of `n` along the axis starting
// at `start`.
struct AxisView {
  int64_t inner = 1, extent;
  std::string place() const {
    return fill(R"(let r = i % ${slab};
let o = i / ${slab};
let a = r / ${inner};
let q = r % ${inner};
)", {{"slab", u32(extent * inner)}, {"inner", u32(inner)}});
  }
  std::string piece(int64_t n, int64_t start) const {
    return "o * " + u32(n * inner) + " + (a - " + u32(start) + ") * " + u32(inner) + " + q";
  }
};

AxisView axis_view(const Shape& shape, int axis) {
  AxisView v;
  for (size_t d = axis + 1; d < shape.size(); d++) v.inner *= shape[d];
  v.extent = shape[axis];
  return v;
}

void concat(const ir::Operator& op, Program& program) {
  int axis = static_cast<int>(params::Axis::parse(op.params).axis);
  AxisView v = axis_view(op.outputs[0]->shape, axis);
  std::string body = v.place() + "var value = 0.0;\n";
  int64_t start = 0;
  for (size_t k = 0; k < op.inputs.size(); k++) {
    int64_t n = op.inputs[k]->shape[axis];
    if (n == 0) continue;
    Operand x = program.input("x" + std::to_string(k), op.inputs[k]);
    body += std::string(start ? "else " : "") + "if (a < " + u32(start + n) + ") { value = " + x.get(v.piece(n, start)) + "; }\n";
    start += n;
  }
  Operand y = program.output("y", op.outputs[0]);
  program.dispatch(op, body + y.set("i", "value") + "\n", y.variable->size(), workgroup_for(y.variable->size()));
}

void split(const ir::Operator& op, Program& program) {
  Operand x = program.input("x", op.inputs[0]);
  int axis = static_cast<int>(params::Split::parse(op.params).axis);
  AxisView v = axis_view(x.shape(), axis);
  std::string body = v.place() + "let value = " + x.get("i") + ";\n";
  int64_t start = 0;
  for (size_t k = 0; k < op.outputs.size(); k++) {
    int64_t n = op.outputs[k]->shape[axis];
    if (n == 0) continue;
    Operand y = program.output("y" + std::to_string(k), op.outputs[k]);
    body += std::string(start ? "else " : "") + "if (a < " + u32(start + n) + ") { " + y.set(v.piece(n, start), "value") + " }\n";
    start += n;
  }
  program.dispatch(op, body, x.variable->size(), workgroup_for(x.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(copy, "Reshape", "Relayout");
WEBDNN_WGSL_KERNEL(transpose, "Transpose");
WEBDNN_WGSL_KERNEL(slice, "Slice");
WEBDNN_WGSL_KERNEL(tile, "Tile");
WEBDNN_WGSL_KERNEL(pad, "Pad");
WEBDNN_WGSL_KERNEL(depth_to_space, "DepthToSpace");
WEBDNN_WGSL_KERNEL(concat, "Concat");
WEBDNN_WGSL_KERNEL(split, "Split");

}  // namespace webdnn::backends::webgpu
