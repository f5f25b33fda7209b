// GatherND: one invocation per output element, which reads the coordinate tuple of its row (each
// stored as f32 like every integer; negative ones count from the end of their axis) and copies
// the data element it names. Coordinates out of range are clamped (the reference rejects them).
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

void gather_nd(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  // Bindings in the order the shader first reads them: the indices, then the data.
  Operand indices = program.input("indices", op.inputs[1]), data = program.input("data", op.inputs[0]);
  Operand y = program.output("y", op.outputs[0]);
  int64_t b = params::GatherND::parse(op.params).batch_dims, last = indices.shape().back();
  int64_t batch = 1, slice = 1;
  for (int64_t d = 0; d < b; d++) batch *= data.shape()[d];
  for (size_t d = static_cast<size_t>(b + last); d < data.shape().size(); d++) slice *= data.shape()[d];
  int64_t tuples = indices.variable->size() / last / batch;
  Shape strides = strides_of(data.shape());
  int64_t batch_stride = b == 0 ? 0 : strides[b - 1];
  // Output element i: row r (tuple r % tuples of batch r / tuples), element q of the slice.
  std::string coords;
  for (int64_t k = 0; k < last; k++) {
    int64_t dim = data.shape()[b + k];
    coords += fill(R"(let raw${k} = i32(${index});
at += u32(clamp(select(raw${k}, raw${k} + ${dim}, raw${k} < 0i), 0i, ${last})) * ${stride};
)", {{"k", std::to_string(k)}, {"index", indices.get("r * " + u32(last) + " + " + u32(k))}, {"dim", i32(dim)},
        {"last", i32(dim - 1)}, {"stride", u32(strides[b + k])}});
  }
  std::string body = fill(R"(let q = i % ${slice};
let r = i / ${slice};
var at = (r / ${tuples}) * ${batch_stride} + q;
${coords}
${store}
)", {{"slice", u32(slice)}, {"tuples", u32(tuples)}, {"batch_stride", u32(batch_stride)}, {"coords", coords},
     {"store", y.set("i", data.get("at"))}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(gather_nd, "GatherND");

}  // namespace webdnn::backends::webgpu
