// GatherND: one invocation per output element, which reads the coordinate tuple of its row (each
// stored as f32 like every integer; negative ones count from the end of their axis) and copies
// the data element it names. Coordinates out of range are clamped (the reference rejects them).
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

void gather_nd(const ir::Operator& op, Program& program) {
  const ir::Variable *data = op.inputs[0], *indices = op.inputs[1], *y = op.outputs[0];
  if (y->size() == 0) return;
  int64_t b = params::GatherND::parse(op.params).batch_dims, last = indices->shape.back();
  int64_t batch = 1, slice = 1;
  for (int64_t d = 0; d < b; d++) batch *= data->shape[d];
  for (size_t d = static_cast<size_t>(b + last); d < data->shape.size(); d++) slice *= data->shape[d];
  int64_t tuples = indices->size() / last / batch;
  Shape strides = strides_of(data->shape);
  int64_t batch_stride = b == 0 ? 0 : strides[b - 1];
  std::ostringstream s;
  // Output element i: row r (tuple r % tuples of batch r / tuples), element q of the slice.
  s << "  let q = i % " << u32(slice) << ";\n"
    << "  let r = i / " << u32(slice) << ";\n"
    << "  var at = (r / " << u32(tuples) << ") * " << u32(batch_stride) << " + q;\n";
  for (int64_t k = 0; k < last; k++) {
    int64_t dim = data->shape[b + k];
    std::string raw = "raw" + std::to_string(k);
    s << "  let " << raw << " = i32(" << program.read(indices, "r * " + u32(last) + " + " + u32(k)) << ");\n"
      << "  at += u32(clamp(select(" << raw << ", " << raw << " + " << i32(dim) << ", " << raw << " < 0i), 0i, "
      << i32(dim - 1) << ")) * " << u32(strides[b + k]) << ";\n";
  }
  s << "  " << program.write(y, "i") << " = " << program.read(data, "at") << ";\n";
  program.dispatch(op, s.str(), y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(gather_nd, "GatherND");

}  // namespace webdnn::backends::webgpu
