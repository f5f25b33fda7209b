// MaxPool and AveragePool: four channels of one pixel per texel when both layouts pack the
// channels (image layouts), one element at a time otherwise.
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"

namespace webdnn::backends::webgl {
namespace {

void pool(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  bool is_max = op.type == "MaxPool";
  auto k = param_ints_or(op, "kernel_shape", {});
  auto s = param_ints_or(op, "strides", {1, 1});
  auto pads = param_ints_or(op, "pads", {0, 0, 0, 0});
  auto d = param_ints_or(op, "dilations", {1, 1});
  bool include_pad = param_int(op, "count_include_pad", 0) != 0;
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
    c << (is_max ? "      acc = max(acc, v);\n" : "      acc += v;\n");
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
