// CumSum: one invocation per output element, which adds up its line along the axis in the
// reference's order (from the start, or from the end when reversed) as far as its own position
// (or one short of it when exclusive). Integers are f32 here, exact while the sums stay below 2^24.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

void cum_sum(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  Operand x = program.input("x", op.inputs[0]), y = program.output("y", op.outputs[0]);
  params::CumSum p = params::CumSum::parse(op.params);
  size_t axis = static_cast<size_t>(p.axis);
  int64_t inner = 1, dim = x.shape()[axis];
  for (size_t d = axis + 1; d < x.shape().size(); d++) inner *= x.shape()[d];
  // The count of terms, and position j of term t, in summation order.
  std::string count = p.reverse ? u32(dim) + " - k" : "k + 1u", j = p.reverse ? u32(dim - 1) + " - t" : "t";
  if (p.exclusive) count = "(" + count + ") - 1u";
  std::string body = fill(R"(let k = (i / ${inner}) % ${dim};
let first = i - k * ${inner};
var acc = 0.0;
for (var t = 0u; t < ${count}; t++) {
  acc += ${term};
}
${store}
)", {{"inner", u32(inner)}, {"dim", u32(dim)}, {"count", count}, {"term", x.get("first + (" + j + ") * " + u32(inner))},
     {"store", y.set("i", "acc")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(cum_sum, "CumSum");

}  // namespace webdnn::backends::webgpu
