// CumSum: one invocation per output element, which adds up its line along the axis in the
// reference's order (from the start, or from the end when reversed) as far as its own position
// (or one short of it when exclusive). Integers are f32 here, exact while the sums stay below 2^24.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

void cum_sum(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *y = op.outputs[0];
  if (y->size() == 0) return;
  params::CumSum p = params::CumSum::parse(op.params);
  size_t axis = static_cast<size_t>(p.axis);
  int64_t inner = 1, dim = x->shape[axis];
  for (size_t d = axis + 1; d < x->shape.size(); d++) inner *= x->shape[d];
  std::ostringstream s;
  s << "  let k = (i / " << u32(inner) << ") % " << u32(dim) << ";\n"
    << "  let first = i - k * " << u32(inner) << ";\n";  // the line's element at position 0
  // The count of terms, and position j of term t, in summation order.
  std::string count = p.reverse ? u32(dim) + " - k" : "k + 1u", j = p.reverse ? u32(dim - 1) + " - t" : "t";
  if (p.exclusive) count = "(" + count + ") - 1u";
  s << "  var acc = 0.0;\n"
    << "  for (var t = 0u; t < " << count << "; t++) {\n"
    << "    acc += " << program.read(x, "first + (" + j + ") * " + u32(inner)) << ";\n"
    << "  }\n"
    << "  " << program.write(y, "i") << " = acc;\n";
  program.dispatch(op, s.str(), y->size(), workgroup_for(y->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(cum_sum, "CumSum");

}  // namespace webdnn::backends::webgpu
