// ScatterND and ScatterElements: element by element, each starting from data and looking through
// the updates that may land on it, in the reference's order, combining each that does (a fragment
// shader cannot scatter). Negative indices count from the end of their axis.
#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

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

// Statements declaring `int prefix0..` as the coordinates of flat `index` in `shape`.
Coords split_index(const std::string& index, const Shape& shape, const std::string& prefix, std::string& code) {
  Coords c;
  int64_t stride = num_elements(shape);
  for (size_t d = 0; d < shape.size(); d++) {
    stride /= std::max<int64_t>(shape[d], 1);
    std::string name = prefix + std::to_string(d);
    code += "    int " + name + " = (" + index + " / " + glsl_int(stride) + ") % " + glsl_int(shape[d]) + ";\n";
    c.push_back(name);
  }
  return c;
}

// The int an index element `raw` names on an axis of `dim` (negative ones from the end).
std::string wrapped(const std::string& raw, int64_t dim) {
  return "(int(" + raw + ") + (" + raw + " < 0.0 ? " + glsl_int(dim) + " : 0))";
}

void scatter_nd(const ir::Operator& op, Program& p) {
  const ir::Variable *dv = op.inputs[0], *iv = op.inputs[1], *uv = op.inputs[2], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int d = p.var(dv), ix = p.var(iv), u = p.var(uv), y = p.var(yv);
  int64_t k = iv->shape.back(), rows = k == 0 ? 0 : iv->size() / k;
  Shape lead(iv->shape.begin(), iv->shape.end() - 1);
  auto reduction = params::ScatterND::parse(op.params).reduction;
  element_kernel(op, p, y, [&](Kernel& kr) {
    std::string s = "  v = " + kr.element(d, kr.out_coords()) + ";\n";
    s += "  for (int j = 0; j < " + glsl_int(rows) + "; j++) {\n";
    Coords jc = split_index("j", lead, "j", s);
    std::string hit = "true";
    for (int64_t a = 0; a < k; a++) {
      Coords at = jc;
      at.push_back(glsl_int(a));
      std::string raw = "raw" + std::to_string(a);
      s += "    float " + raw + " = " + kr.element(ix, at) + ";\n";
      hit += " && " + wrapped(raw, dv->shape[a]) + " == " + kr.out_coord(static_cast<int>(a));
    }
    Coords uc = jc;
    for (int a = static_cast<int>(k); a < dv->rank(); a++) uc.push_back(kr.out_coord(a));
    s += "    float u = " + kr.element(u, uc) + ";\n";
    s += "    if (" + hit + ") v = " + combine(reduction) + ";\n  }\n";
    return s;
  });
}

void scatter_elements(const ir::Operator& op, Program& p) {
  const ir::Variable *dv = op.inputs[0], *iv = op.inputs[1], *uv = op.inputs[2], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int d = p.var(dv), ix = p.var(iv), u = p.var(uv), y = p.var(yv);
  params::ScatterElements sp = params::ScatterElements::parse(op.params);
  int axis = static_cast<int>(sp.axis);
  element_kernel(op, p, y, [&](Kernel& kr) {
    std::string inside = "true";
    Coords at;
    for (int a = 0; a < dv->rank(); a++) {
      if (a == axis) {
        at.push_back("t");
        continue;
      }
      std::string c = kr.out_coord(a);
      inside += " && " + c + " < " + glsl_int(iv->shape[a]);
      at.push_back("min(" + c + ", " + glsl_int(std::max<int64_t>(iv->shape[a], 1) - 1) + ")");
    }
    std::string s = "  v = " + kr.element(d, kr.out_coords()) + ";\n";
    s += "  bool inside = " + inside + ";\n";
    s += "  for (int t = 0; t < " + glsl_int(iv->shape[axis]) + "; t++) {\n";
    s += "    float raw = " + kr.element(ix, at) + ";\n";
    s += "    float u = " + kr.element(u, at) + ";\n";
    s += "    if (inside && " + wrapped("raw", dv->shape[axis]) + " == " + kr.out_coord(axis) + ") v = " +
         combine(sp.reduction) + ";\n  }\n";
    return s;
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(scatter_nd, nullptr, "ScatterND");
WEBDNN_GLSL_KERNEL(scatter_elements, nullptr, "ScatterElements");

}  // namespace webdnn::backends::webgl
