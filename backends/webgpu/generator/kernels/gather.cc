// Gather and GatherElements: one invocation per output element, which reads its index (stored
// as f32 like every integer; negative ones count from the end of the axis) and copies the data
// element it names. Indices out of range are clamped (the reference rejects them).
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

// The index read from `indices` at `at`, resolved against an axis of `dim`, as a u32 expression.
std::string resolved(Program& program, const ir::Variable* indices, const std::string& at, int64_t dim,
                     std::ostringstream& b) {
  b << "  let raw = i32(" << program.read(indices, at) << ");\n"
    << "  let k = u32(clamp(select(raw, raw + " << i32(dim) << ", raw < 0i), 0i, " << i32(dim - 1) << "));\n";
  return "k";
}

void gather(const ir::Operator& op, Program& program) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1], *y = op.outputs[0];
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  int64_t inner = 1, dim = data->shape[axis], n = std::max<int64_t>(indices->size(), 1);
  for (size_t d = axis + 1; d < data->shape.size(); d++) inner *= data->shape[d];
  std::ostringstream b;
  b << "  let q = i % " << u32(inner) << ";\n"
    << "  let j = (i / " << u32(inner) << ") % " << u32(n) << ";\n"
    << "  let o = i / " << u32(inner * n) << ";\n";
  std::string k = resolved(program, indices, "j", dim, b);
  b << "  " << program.write(y, "i") << " = " << program.read(data, "(o * " + u32(dim) + " + " + k + ") * " + u32(inner) + " + q")
    << ";\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

void gather_elements(const ir::Operator& op, Program& program) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1], *y = op.outputs[0];
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  Shape strides = strides_of(data->shape);
  std::ostringstream b;
  b << coordinates(indices->shape, "i", "c");
  std::string k = resolved(program, indices, "i", data->shape[axis], b);
  std::string at;
  for (size_t d = 0; d < data->shape.size(); d++)
    at += (at.empty() ? "" : " + ") + (d == axis ? k : "c" + std::to_string(d)) + " * " + u32(strides[d]);
  b << "  " << program.write(y, "i") << " = " << program.read(data, at) << ";\n";
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(gather, "Gather");
WEBDNN_WGSL_KERNEL(gather_elements, "GatherElements");

}  // namespace webdnn::backends::webgpu
