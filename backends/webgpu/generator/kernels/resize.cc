// Resize (nearest, n-linear, n-cubic, antialiased): the reference's own per-axis maps
// (resize_axis_map: for every output coordinate, its taps' input coordinates and weights) are made
// at convert time and stored as tables, so that ties round exactly as the reference rounds them.
// One invocation per output element, summing over every combination of the resized axes' taps.
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
  // Table: per axis, the taps' input coordinates (out * taps entries), then their weights unless
  // the axis copies (one tap of weight 1).
  std::vector<float> table;
  std::vector<int64_t> at;
  std::vector<runtime::reference::AxisMap> maps;
  for (size_t d = 0; d < rank; d++) {
    maps.push_back(runtime::reference::resize_axis_map(p, in[d], out_shape[d], static_cast<float>(scales[d])));
    const auto& m = maps.back();
    at.push_back(static_cast<int64_t>(table.size()));
    for (int64_t v : m.index) table.push_back(static_cast<float>(v));
    if (!m.trivial())
      for (double w : m.weight) table.push_back(static_cast<float>(w));
  }
  if (table.empty()) table.push_back(0);
  Operand t = program.input("map", program.table(table)), x = program.input("x", op.inputs[0]);
  Operand y = program.output("y", op.outputs[0]);
  std::string body = coordinates(y.shape(), "i", "c");
  std::string base, offset, weight, loops, close;
  for (size_t d = 0; d < rank; d++) {
    if (x.shape()[d] <= 1) continue;
    std::string c = "c" + std::to_string(d), stride = u32(strides[d]);
    const auto& m = maps[d];
    if (m.trivial()) {
      base += (base.empty() ? "" : " + ") + std::string("u32(") + t.get(u32(at[d]) + " + " + c) + ") * " + stride;
      continue;
    }
    // A loop over this axis's taps: entry k of its table, the weight `out * taps` entries on.
    std::string ds = std::to_string(d), k = "k" + ds, taps = u32(m.taps);
    loops += "for (var t" + ds + " = 0u; t" + ds + " < " + taps + "; t" + ds + " = t" + ds + " + 1u) {\n";
    loops += "let " + k + " = " + c + " * " + taps + " + t" + ds + ";\n";
    loops += "let o" + ds + " = u32(" + t.get(u32(at[d]) + " + " + k) + ") * " + stride + ";\n";
    loops += "let w" + ds + " = " + t.get(u32(at[d] + out_shape[d] * m.taps) + " + " + k) + ";\n";
    offset += " + o" + ds;
    weight += (weight.empty() ? "" : " * ") + std::string("w") + ds;
    close += "}\n";
  }
  body += "let base = " + (base.empty() ? "0u" : base) + ";\n";
  if (weight.empty()) {
    body += y.set("i", x.get("base")) + "\n";
  } else {
    body += "var acc = 0.0;\n" + loops + "acc = acc + " + weight + " * " + x.get("base" + offset) + ";\n" + close;
    body += y.set("i", "acc") + "\n";
  }
  program.dispatch(op, body, y.variable->size(), workgroup_for(y.variable->size()));
}

}  // namespace

WEBDNN_WGSL_KERNEL(resize, "Resize");

}  // namespace webdnn::backends::webgpu
