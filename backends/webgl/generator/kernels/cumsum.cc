// CumSum: element by element, each adding up its line along the axis in the reference's order
// (from the start, or from the end when reversed) as far as its own position (or one short of it
// when exclusive). Integers are floats here, exact while the sums stay below 2^24.
#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

void cum_sum(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  params::CumSum cp = params::CumSum::parse(op.params);
  int axis = static_cast<int>(cp.axis);
  int64_t dim = xv->shape[axis];
  element_kernel(op, p, y, [&](Kernel& k) {
    Coords at = k.out_coords();
    at[axis] = "j";
    std::string own = k.out_coord(axis);
    // Position j of term t in summation order, and where the terms stop.
    std::string j = cp.reverse ? glsl_int(dim - 1) + " - t" : "t";
    std::string past = cp.reverse ? (cp.exclusive ? "j <= " : "j < ") + own : (cp.exclusive ? "j >= " : "j > ") + own;
    return "  float acc = 0.0;\n"
           "  for (int t = 0; t < " + glsl_int(dim) + "; t++) {\n"
           "    int j = " + j + ";\n"
           "    if (" + past + ") break;\n"
           "    acc += " + k.element(x, at) + ";\n"
           "  }\n"
           "  v = acc;\n";
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(cum_sum, nullptr, "CumSum");

}  // namespace webdnn::backends::webgl
