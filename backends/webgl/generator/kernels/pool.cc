// MaxPool and AveragePool: four channels of one pixel per texel when both layouts pack the
// channels (image layouts), one element at a time otherwise.
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

void pool(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  bool is_max = op.type == "MaxPool";
  params::Pool pool_params = params::Pool::parse(op.params);
  const params::Window& window = pool_params.window;
  const auto &k = window.kernel, &s = window.strides, &d = window.dilations;
  const auto &pads = window.pads;
  bool include_pad = pool_params.count_include_pad;
  int64_t H = xv->shape[2], W = xv->shape[3];
  bool vector = p.at(x).layout.packed == 1 && p.at(y).layout.packed == 1;
  auto body = [&](Kernel& kernel) {
    std::ostringstream c;
    std::string type = vector ? "vec4" : "float";
    c << "  " << type << " acc = " << type << "(" << (is_max ? "uintBitsToFloat(0xff800000u)" : "0.0") << ");\n";
    c << "  int count = 0, padded = 0;\n";
    c << "  for (int kh = 0; kh < " << k[0] << "; kh++) {\n";
    c << "    int ih = c2 * " << s[0] << " - " << pads[0] << " + kh * " << d[0] << ";\n";
    c << "    for (int kw = 0; kw < " << k[1] << "; kw++) {\n";
    c << "      int iw = c3 * " << s[1] << " - " << pads[1] << " + kw * " << d[1] << ";\n";
    c << "      if (ih >= " << -pads[0] << " && ih < " << H + pads[2] << " && iw >= " << -pads[1] << " && iw < " << W + pads[3]
      << ") padded++;\n";
    c << "      if (ih < 0 || ih >= " << H << " || iw < 0 || iw >= " << W << ") continue;\n";
    Coords xc = {"c0", "c1", "ih", "iw"};
    c << "      " << type << " v = " << (vector ? kernel.vec4_along(x, xc, 1) : kernel.element(x, xc)) << ";\n";
    // NaN wins, as in the reference.
    c << (is_max ? "      acc = " + glsl_op(kernel, ExprOp::Max, "acc", "v") + ";\n" : "      acc += v;\n");
    c << "      count++;\n    }\n  }\n";
    std::string result = is_max ? "acc" : "acc / float(max(" + std::string(include_pad ? "padded" : "count") + ", 1))";
    c << (vector ? "  vec4 r = " : "  v = ") << result << ";\n";
    return c.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

}  // namespace

WEBDNN_GLSL_KERNEL(pool, nullptr, "MaxPool", "AveragePool");

}  // namespace webdnn::backends::webgl
