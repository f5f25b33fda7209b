// GatherND: element by element, each reading the coordinate tuple of its row from the indices
// (negative ones count from the end of their axis) and the data element it names.
#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

void gather_nd(const ir::Operator& op, Program& p) {
  const ir::Variable *dv = op.inputs[0], *iv = op.inputs[1], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int d = p.var(dv), ix = p.var(iv), y = p.var(yv);
  int b = static_cast<int>(params::GatherND::parse(op.params).batch_dims);
  int q = iv->rank(), last = static_cast<int>(iv->shape.back());
  element_kernel(op, p, y, [&](Kernel& k) {
    std::string s;
    Coords dc, ic;
    for (int a = 0; a < q - 1; a++) ic.push_back(k.out_coord(a));
    for (int a = 0; a < b; a++) dc.push_back(k.out_coord(a));
    for (int j = 0; j < last; j++) {
      std::string raw = "raw" + std::to_string(j), dim = glsl_int(dv->shape[b + j]);
      Coords at = ic;
      at.push_back(glsl_int(j));
      s += "  float " + raw + " = " + k.element(ix, at) + ";\n";
      s += "  int idx" + std::to_string(j) + " = int(" + raw + ") + (" + raw + " < 0.0 ? " + dim + " : 0);\n";
      dc.push_back("idx" + std::to_string(j));
    }
    for (int a = b + last; a < dv->rank(); a++) dc.push_back(k.out_coord(q - 1 + a - b - last));
    return s + "  v = " + k.element(d, dc) + ";\n";
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(gather_nd, nullptr, "GatherND");

}  // namespace webdnn::backends::webgl
