// Gather and GatherElements: one invocation per output element, which reads its index (stored
// as f32 like every integer; negative ones count from the end of the axis) and copies the data
// element it names. Indices out of range are clamped (the reference rejects them).
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

// Statements reading the index at `at` and resolving it against an axis of `dim` into `k`.
std::string resolved(const Operand& indices, const std::string& at, int64_t dim) {
  return fill(R"(let raw = i32(${index});
let k = u32(clamp(select(raw, raw + ${dim}, raw < 0i), 0i, ${last}));
)", {{"index", indices.get(at)}, {"dim", i32(dim)}, {"last", i32(dim - 1)}});
}

void gather(const ir::Operator& op, Program& program) {
  // Bindings in the order the shader first reads them: the index, then the data.
  Operand indices = program.input("indices", op.inputs[1]), data = program.input("data", op.inputs[0]);
  Operand y = program.output("y", op.outputs[0]);
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  int64_t inner = 1, dim = data.shape()[axis], n = std::max<int64_t>(indices.variable->size(), 1);
  for (size_t d = axis + 1; d < data.shape().size(); d++) inner *= data.shape()[d];
  std::string body = fill(R"(let q = i % ${inner};
let j = (i / ${inner}) % ${n};
let o = i / ${slab};
${resolve}
${store}
)", {{"inner", u32(inner)}, {"n", u32(n)}, {"slab", u32(inner * n)}, {"resolve", resolved(indices, "j", dim)},
     {"store", y.set("i", data.get("(o * " + u32(dim) + " + k) * " + u32(inner) + " + q"))}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

void gather_elements(const ir::Operator& op, Program& program) {
  Operand indices = program.input("indices", op.inputs[1]), data = program.input("data", op.inputs[0]);
  Operand y = program.output("y", op.outputs[0]);
  size_t axis = static_cast<size_t>(params::Axis::parse(op.params).axis);
  std::vector<std::string> at;
  for (size_t d = 0; d < data.shape().size(); d++) at.push_back(d == axis ? "k" : "c" + std::to_string(d));
  std::string body = coordinates(indices.shape(), "i", "c") + resolved(indices, "i", data.shape()[axis]) +
                     y.set("i", data.at(at)) + "\n";
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(gather, "Gather");
WEBDNN_WGSL_KERNEL(gather_elements, "GatherElements");

}  // namespace webdnn::backends::webgpu
