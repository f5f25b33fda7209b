// Operators that move data (every variable row-major): one invocation per output element, which
// finds the element it copies. Reshape and Relayout copy (or nothing, when the memory plan
// handed the input's memory over); Transpose, Slice, Tile and DepthToSpace compute the source
// index; Pad reads per-axis source tables made with the reference's own index map; Concat picks
// the input by the coordinate along its axis, Split (one invocation per input element) the
// output.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "runtime/kernels/reference/index_maps.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

// The sum of terms[d] * strides[d] as a u32 expression, skipping zero strides.
std::string dot(const std::vector<std::string>& terms, const Shape& strides) {
  std::string s;
  for (size_t d = 0; d < terms.size(); d++)
    if (strides[d] != 0) s += (s.empty() ? "" : " + ") + terms[d] + " * " + u32(strides[d]);
  return s.empty() ? "0u" : s;
}

std::vector<std::string> coords(const std::string& prefix, size_t rank) {
  std::vector<std::string> c;
  for (size_t d = 0; d < rank; d++) c.push_back(prefix + std::to_string(d));
  return c;
}

void copy(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  if (program.same_memory(x, y)) return;
  std::string body = "  " + program.write(y, "i") + " = " + program.read(x, "i") + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

void transpose(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  std::vector<int64_t> perm = params::Transpose::parse(op.params).perm;
  Shape xs = strides_of(x->shape), strides(perm.size());
  for (size_t d = 0; d < perm.size(); d++) strides[d] = xs[perm[d]];
  std::string body = coordinates(y->shape, "i", "c");
  body += "  " + program.write(y, "i") + " = " + program.read(x, dot(coords("c", perm.size()), strides)) + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

void slice(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::Slice p = params::Slice::parse(op.params);
  const std::vector<int64_t>&starts = p.starts, &steps = p.steps;
  Shape xs = strides_of(x->shape);
  int64_t base = 0;
  std::string index;
  for (size_t d = 0; d < starts.size(); d++) {
    base += starts[d] * xs[d];
    if (y->shape[d] > 1) index += " + i32(c" + std::to_string(d) + ") * " + i32(steps[d] * xs[d]);
  }
  std::string body = coordinates(y->shape, "i", "c");
  body += "  " + program.write(y, "i") + " = " + program.read(x, "u32(" + i32(base) + index + ")") + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

void tile(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  std::vector<std::string> terms;
  for (int d = 0; d < x->rank(); d++) terms.push_back("(c" + std::to_string(d) + " % " + u32(x->shape[d]) + ")");
  std::string body = coordinates(y->shape, "i", "c");
  body += "  " + program.write(y, "i") + " = " + program.read(x, dot(terms, strides_of(x->shape))) + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

void pad(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::Pad p = params::Pad::parse(op.params);
  const std::vector<int64_t>& pads = p.pads;
  params::Pad::Mode mode = p.mode;
  double value = p.value;
  int rank = x->rank();
  // Per axis, the input coordinate of each output coordinate (-1: the constant).
  std::vector<float> table;
  std::vector<int64_t> starts;
  for (int d = 0; d < rank; d++) {
    starts.push_back(static_cast<int64_t>(table.size()));
    for (int64_t o = 0; o < y->shape[d]; o++)
      table.push_back(static_cast<float>(runtime::reference::pad_source(o, pads[d], pads[d + rank], x->shape[d], mode)));
  }
  const ir::Variable* t = program.table(table);
  std::string body = coordinates(y->shape, "i", "c");
  Shape xs = strides_of(x->shape);
  std::string index, inside;
  for (int d = 0; d < rank; d++) {
    std::string s = "s" + std::to_string(d);
    body += "  let " + s + " = i32(" + program.read(t, u32(starts[d]) + " + c" + std::to_string(d)) + ");\n";
    index += (index.empty() ? "" : " + ") + std::string("u32(max(") + s + ", 0i)) * " + u32(xs[d]);
    inside += (inside.empty() ? "" : " & ") + std::string("(") + s + " >= 0i)";
  }
  if (index.empty()) index = "0u", inside = "true";
  std::string v = x->size() == 0 ? f32(value) : "select(" + f32(value) + ", " + program.read(x, index) + ", " + inside + ")";
  body += "  " + program.write(y, "i") + " = " + v + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

void depth_to_space(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  params::DepthToSpace p = params::DepthToSpace::parse(op.params);
  int64_t b = p.blocksize;
  bool dcr = p.dcr;
  int64_t C = x->shape[1], H = x->shape[2], W = x->shape[3], OC = y->shape[1];
  std::string body = coordinates(y->shape, "i", "c");
  body += "  let bh = c2 % " + u32(b) + ";\n  let bw = c3 % " + u32(b) + ";\n";
  body += dcr ? "  let ch = (bh * " + u32(b) + " + bw) * " + u32(OC) + " + c1;\n"
              : "  let ch = (c1 * " + u32(b) + " + bh) * " + u32(b) + " + bw;\n";
  std::string at = "((c0 * " + u32(C) + " + ch) * " + u32(H) + " + c2 / " + u32(b) + ") * " + u32(W) + " + c3 / " + u32(b);
  body += "  " + program.write(y, "i") + " = " + program.read(x, at) + ";\n";
  program.dispatch(op, body, y->size(), workgroup_for(y->size()));
}

// [outer, axis, inner] views of Concat's output / Split's input.
struct AxisView {
  int64_t inner = 1, extent;
};

AxisView axis_view(const Shape& shape, int axis) {
  AxisView v;
  for (size_t d = axis + 1; d < shape.size(); d++) v.inner *= shape[d];
  v.extent = shape[axis];
  return v;
}

void concat(const ir::Operator& op, Program& program) {
  const ir::Variable* y = op.outputs[0];
  int axis = static_cast<int>(params::Axis::parse(op.params).axis);
  AxisView v = axis_view(y->shape, axis);
  std::ostringstream b;
  b << "  let r = i % " << u32(v.extent * v.inner) << ";\n"
    << "  let o = i / " << u32(v.extent * v.inner) << ";\n"
    << "  let a = r / " << u32(v.inner) << ";\n"
    << "  let q = r % " << u32(v.inner) << ";\n"
    << "  var value = 0.0;\n";
  int64_t start = 0;
  bool first = true;
  for (const ir::Variable* x : op.inputs) {
    int64_t n = x->shape[axis];
    if (n == 0) continue;
    std::string at = "o * " + u32(n * v.inner) + " + (a - " + u32(start) + ") * " + u32(v.inner) + " + q";
    b << "  " << (first ? "" : "else ") << "if (a < " << u32(start + n) << ") { value = " << program.read(x, at) << "; }\n";
    first = false;
    start += n;
  }
  b << "  " << program.write(y, "i") << " = value;\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

void split(const ir::Operator& op, Program& program) {
  const ir::Variable* x = op.inputs[0];
  int axis = static_cast<int>(params::Split::parse(op.params).axis);
  AxisView v = axis_view(x->shape, axis);
  std::ostringstream b;
  b << "  let r = i % " << u32(v.extent * v.inner) << ";\n"
    << "  let o = i / " << u32(v.extent * v.inner) << ";\n"
    << "  let a = r / " << u32(v.inner) << ";\n"
    << "  let q = r % " << u32(v.inner) << ";\n"
    << "  let value = " << program.read(x, "i") << ";\n";
  int64_t start = 0;
  bool first = true;
  for (const ir::Variable* y : op.outputs) {
    int64_t n = y->shape[axis];
    if (n == 0) continue;
    std::string at = "o * " + u32(n * v.inner) + " + (a - " + u32(start) + ") * " + u32(v.inner) + " + q";
    b << "  " << (first ? "" : "else ") << "if (a < " << u32(start + n) << ") { " << program.write(y, at)
      << " = value; }\n";
    first = false;
    start += n;
  }
  program.dispatch(op, b.str(), x->size(), workgroup_for(x->size()));
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
