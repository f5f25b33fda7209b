// TopK: one invocation per row along the axis, selecting the k elements in turn: the j-th is the
// best of those that come after the (j-1)-th in the order (value, then index), so each pass is a
// plain scan and ties go to the lower index as in the reference. O(k * n) per row: detectors
// take a few hundred of a few thousand scores.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

void top_k(const ir::Operator& op, Program& program) {
  params::TopK p = params::TopK::parse(op.params);
  Operand x = program.input("x", op.inputs[0]);
  Operand values = program.output("values", op.outputs[0]), indices = program.output("indices", op.outputs[1]);
  const Shape& shape = op.inputs[0]->shape;
  size_t axis = static_cast<size_t>(p.axis);
  int64_t n = shape[axis], k = op.outputs[0]->shape[axis], inner = strides_of(shape)[axis];
  int64_t rows = n > 0 ? op.inputs[0]->size() / n : 0;
  if (rows == 0 || k == 0) return;
  const char* more = p.largest ? ">" : "<";  // v comes before w when v more w
  const char* less = p.largest ? "<" : ">";
  std::string body = fill(R"(let o = i;
let base = (o / ${inner}) * ${n} * ${inner} + o % ${inner};
let out = (o / ${inner}) * ${k} * ${inner} + o % ${inner};
var pv = 0.0;
var pi = 0u;
for (var j = 0u; j < ${k}; j = j + 1u) {
  var bv = 0.0;
  var bi = ${n};
  for (var r = 0u; r < ${n}; r = r + 1u) {
    let v = ${v};
    let after = j == 0u || (v ${less} pv) || (v == pv && r > pi);
    if (after && (bi == ${n} || v ${more} bv)) {
      bv = v;
      bi = r;
    }
  }
  ${set_value}
  ${set_index}
  pv = bv;
  pi = bi;
}
)", {{"inner", u32(inner)}, {"n", u32(n)}, {"k", u32(k)}, {"v", x.get("base + r * " + u32(inner))}, {"more", more},
     {"less", less}, {"set_value", values.set("out + j * " + u32(inner), "bv")},
     {"set_index", indices.set("out + j * " + u32(inner), "f32(bi)")}});
  program.dispatch(op, body, rows, workgroup_for(rows));
}

}  // namespace

WEBDNN_WGSL_KERNEL(top_k, "TopK");

}  // namespace webdnn::backends::webgpu
