// Resize (nearest and n-linear): the reference's own per-axis maps (resize_axis_map: the lower
// and upper input coordinate and the upper one's weight for every output coordinate) are made at
// convert time and stored as tables, so that ties round exactly as the reference rounds them.
// One invocation per output element, summing the 2^k corners of the k interpolated axes.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "runtime/kernels/reference/index_maps.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

void resize(const ir::Operator& op, Program& program) {
  const Shape &in = op.inputs[0]->shape, &out_shape = op.outputs[0]->shape;
  params::Resize p = params::Resize::parse(op.params);
  const std::vector<double> scales = p.scales_for(in, out_shape);
  size_t rank = in.size();
  Shape strides = strides_of(in);
  // Table: per axis, lo (out entries), hi - lo (out entries) and the weight (out entries).
  std::vector<float> table;
  std::vector<int64_t> at;
  std::vector<size_t> blended;
  std::vector<runtime::reference::AxisMap> maps;
  for (size_t d = 0; d < rank; d++) {
    maps.push_back(runtime::reference::resize_axis_map(p, in[d], out_shape[d], static_cast<float>(scales[d])));
    const auto& m = maps.back();
    at.push_back(static_cast<int64_t>(table.size()));
    for (int64_t v : m.lo) table.push_back(static_cast<float>(v));
    if (!m.trivial) {
      blended.push_back(d);
      for (size_t o = 0; o < m.lo.size(); o++) table.push_back(static_cast<float>(m.hi[o] - m.lo[o]));
      for (double w : m.w) table.push_back(static_cast<float>(w));
    }
  }
  if (table.empty()) table.push_back(0);
  Operand t = program.input("map", program.table(table)), x = program.input("x", op.inputs[0]);
  Operand y = program.output("y", op.outputs[0]);
  std::string body = coordinates(y.shape(), "i", "c");
  std::string base;
  for (size_t d = 0; d < rank; d++) {
    if (x.shape()[d] <= 1) continue;
    std::string c = "c" + std::to_string(d);
    base += (base.empty() ? "" : " + ") + std::string("u32(") + t.get(u32(at[d]) + " + " + c) + ") * " + u32(strides[d]);
  }
  body += "let base = " + (base.empty() ? "0u" : base) + ";\n";
  if (blended.empty()) {
    body += y.set("i", x.get("base")) + "\n";
  } else {
    for (size_t k = 0; k < blended.size(); k++) {
      size_t d = blended[k];
      int64_t out = y.shape()[d];
      std::string c = "c" + std::to_string(d), ks = std::to_string(k);
      body += "let up" + ks + " = u32(" + t.get(u32(at[d] + out) + " + " + c) + ") * " + u32(strides[d]) + ";\n";
      body += "let w" + ks + " = " + t.get(u32(at[d] + 2 * out) + " + " + c) + ";\n";
    }
    body += "var acc = 0.0;\n";
    for (size_t corner = 0; corner < (size_t{1} << blended.size()); corner++) {
      std::string weight, off = "base";
      for (size_t k = 0; k < blended.size(); k++) {
        bool upper = (corner >> k) & 1;
        weight += (weight.empty() ? "" : " * ") + (upper ? "w" + std::to_string(k) : "(1.0 - w" + std::to_string(k) + ")");
        if (upper) off += " + up" + std::to_string(k);
      }
      body += "acc = acc + " + weight + " * " + x.get(off) + ";\n";
    }
    body += y.set("i", "acc") + "\n";
  }
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(resize, "Resize");

}  // namespace webdnn::backends::webgpu
