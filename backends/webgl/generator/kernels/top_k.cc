// TopK: two draws (values, then indices), each fragment selecting in turn up to its own place j
// along the axis: the j-th is the best of the elements that come after the (j-1)-th in the order
// (value, then index), so ties go to the lower index as in the reference. O(j * n) per fragment.
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

void top_k(const ir::Operator& op, Program& p) {
  const ir::Variable* xv = op.inputs[0];
  if (op.outputs[0]->size() == 0) return;
  params::TopK t = params::TopK::parse(op.params);
  int axis = static_cast<int>(t.axis), x = p.var(xv);
  int64_t n = xv->shape[axis];
  const char* more = t.largest ? ">" : "<";  // v comes before w when v more w
  const char* less = t.largest ? "<" : ">";
  for (int which = 0; which < 2; which++) {
    element_kernel(op, p, p.var(op.outputs[which]), [&](Kernel& k) {
      Coords c;
      for (int a = 0; a < xv->rank(); a++) c.push_back(a == axis ? "r" : k.out_coord(a));
      std::ostringstream s;
      s << "  float pv = 0.0;\n  int pi = 0;\n";
      s << "  for (int j = 0; j <= " << k.out_coord(axis) << "; j++) {\n";
      s << "    float bv = 0.0;\n    int bi = " << n << ";\n";
      s << "    for (int r = 0; r < " << n << "; r++) {\n";
      s << "      float w = " << k.element(x, c) << ";\n";
      s << "      bool after = j == 0 || w " << less << " pv || (w == pv && r > pi);\n";
      s << "      if (after && (bi == " << n << " || w " << more << " bv)) { bv = w; bi = r; }\n";
      s << "    }\n    pv = bv;\n    pi = bi;\n  }\n";
      s << "  v = " << (which == 0 ? "pv" : "float(pi)") << ";\n";
      return s.str();
    });
  }
}

}  // namespace

WEBDNN_GLSL_KERNEL(top_k, nullptr, "TopK");

}  // namespace webdnn::backends::webgl
