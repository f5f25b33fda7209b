// ScatterND and ScatterElements: one invocation per output element, which starts from data and
// looks through the updates that may land on it, in the reference's order, combining each that
// does (a scatter turned into a gather: no two invocations write one place, so the result is
// deterministic, duplicates included). Indices are f32 like every integer; negative ones count
// from the end of their axis, and ones out of range are clamped (the reference rejects them).
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

// The WGSL of `v` combined with update `u`.
std::string combine(params::ScatterReduction r) {
  switch (r) {
    case params::ScatterReduction::None: return "u";
    case params::ScatterReduction::Add: return "v + u";
    case params::ScatterReduction::Mul: return "v * u";
    case params::ScatterReduction::Max: return "max(v, u)";
    case params::ScatterReduction::Min: return "min(v, u)";
  }
  return "u";
}

// The u32 position along an axis of `dim` that index value `raw` (f32) names.
std::string wrapped(const std::string& raw, int64_t dim) {
  return "u32(clamp(select(i32(" + raw + "), i32(" + raw + ") + " + i32(dim) + ", " + raw + " < 0.0), 0i, " +
         i32(dim - 1) + "))";
}

// Output element i is row r = i / slice (of data's first k axes) at q = i % slice; update row j
// lands on the row its k coordinates name.
void scatter_nd(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  Operand data = program.input("data", op.inputs[0]), indices = program.input("indices", op.inputs[1]);
  Operand updates = program.input("updates", op.inputs[2]), y = program.output("y", op.outputs[0]);
  int64_t k = indices.shape().back(), rows = k == 0 ? 0 : indices.variable->size() / k, slice = 1;
  for (size_t d = static_cast<size_t>(k); d < data.shape().size(); d++) slice *= data.shape()[d];
  std::string row;
  for (int64_t a = 0, stride = data.variable->size() / slice; a < k; a++) {
    stride /= data.shape()[a];
    row += " + " + wrapped(indices.get("j * " + u32(k) + " + " + u32(a)), data.shape()[a]) + " * " + u32(stride);
  }
  std::string last_update = u32(std::max<int64_t>(updates.variable->size(), 1) - 1);
  std::string body = fill(R"(let q = i % ${slice};
let r = i / ${slice};
var v = ${data};
for (var j = 0u; j < ${rows}; j++) {
  let u = ${update};
  v = select(v, ${combine}, 0u${row} == r);
}
${store}
)", {{"slice", u32(slice)}, {"data", data.get("i")}, {"rows", u32(rows)},
     {"update", updates.get("min(j * " + u32(slice) + " + q, " + last_update + ")")},
     {"combine", combine(params::ScatterND::parse(op.params).reduction)}, {"row", row}, {"store", y.set("i", "v")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

// Output element c (coordinates c0, c1, ...) receives update t of the line of indices that shares
// its coordinates off the axis, when that index names c's own place on the axis.
void scatter_elements(const ir::Operator& op, Program& program) {
  if (op.outputs[0]->size() == 0) return;
  params::ScatterElements p = params::ScatterElements::parse(op.params);
  Operand data = program.input("data", op.inputs[0]), indices = program.input("indices", op.inputs[1]);
  Operand updates = program.input("updates", op.inputs[2]), y = program.output("y", op.outputs[0]);
  const Shape &ds = data.shape(), &is = indices.shape();
  Shape strides = strides_of(is);
  std::string base = "0u", inside = "true";
  for (size_t d = 0; d < ds.size(); d++) {
    if (static_cast<int64_t>(d) == p.axis) continue;
    std::string c = "c" + std::to_string(d);
    base += " + min(" + c + ", " + u32(std::max<int64_t>(is[d], 1) - 1) + ") * " + u32(strides[d]);
    inside += " & (" + c + " < " + u32(is[d]) + ")";
  }
  std::string c_axis = "c" + std::to_string(p.axis);
  std::string body = coordinates(ds, "i", "c") + fill(R"(let base = ${base};
let inside = ${inside};
var v = ${data};
for (var t = 0u; t < ${line}; t++) {
  let at = base + t * ${stride};
  let u = ${update};
  v = select(v, ${combine}, inside & (${target} == ${c_axis}));
}
${store}
)", {{"base", base}, {"inside", inside}, {"data", data.get("i")}, {"line", u32(is[p.axis])},
     {"stride", u32(strides[p.axis])}, {"update", updates.get("at")},
     {"target", wrapped(indices.get("at"), ds[p.axis])}, {"c_axis", c_axis},
     {"combine", combine(p.reduction)}, {"store", y.set("i", "v")}});
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(scatter_nd, "ScatterND");
WEBDNN_WGSL_KERNEL(scatter_elements, "ScatterElements");

}  // namespace webdnn::backends::webgpu
