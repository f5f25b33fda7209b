// Normalizations. BatchNormalization and LRN in one draw; InstanceNormalization,
// LayerNormalization, Softmax and LogSoftmax first compute their statistics into small
// temporary textures (one draw each: mean, then 1/std; or max, then the sum of exponentials),
// then normalize, so that no element's statistics are computed more than once.
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgl {
namespace {

double eps(const ir::Operator& op) {
  return op.type == "LayerNormalization" ? params::LayerNormalization::parse(op.params).epsilon
                                         : params::Normalization::parse(op.params).epsilon;
}

// A per-channel input [C] as vec4 for the output texel: 4 channels when the output packs C.
std::string channel_vec4(Kernel& k, int v) {
  if (k.out_layout().packed == 1) return k.vec4_along(v, {"c1"}, 0);
  return "vec4(" + k.element(v, {"c1"}) + ")";
}

void batch_norm(const ir::Operator& op, Program& p) {
  const ir::Variable* yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(op.inputs[0]), y = p.var(yv);
  int scale = p.var(op.inputs[1]), bias = p.var(op.inputs[2]), mean = p.var(op.inputs[3]), var = p.var(op.inputs[4]);
  texel_kernel(op, p, y, [&](Kernel& k) {
    std::ostringstream s;
    s << "  vec4 x = " << k.vec4_along(x, k.out_coords(), k.out_layout().packed) << ";\n";
    s << "  vec4 r = (x - " << channel_vec4(k, mean) << ") * (" << channel_vec4(k, scale) << " * inversesqrt("
      << channel_vec4(k, var) << " + " << glsl_float(eps(op)) << ")) + " << channel_vec4(k, bias) << ";\n";
    return s.str();
  });
}

// Statistics over `inner` (axes of x) for each element of `outer` (the other axes, a temporary
// of that shape): mean, then 1/sqrt(variance + eps) from it. x coordinates come from `coords`.
// `about_zero` (RMS statistics): no mean pass, the deviations taken from 0; `mean` is then -1.
struct Stats {
  int mean, inv_std;
};

Stats moments(const ir::Operator& op, Program& p, int x, const std::vector<int>& outer_axes, const std::vector<int>& inner_axes,
              bool vector_c, bool about_zero = false) {
  const Layout xl = p.at(x).layout;  // a copy: temp() below may move the variables
  Shape outer;
  for (int a : outer_axes) outer.push_back(xl.shape[a]);
  std::vector<int64_t> extents;
  int64_t n = 1;
  for (int a : inner_axes) extents.push_back(xl.shape[a]), n *= xl.shape[a];
  // Layout of the statistics: flat; when `vector_c`, outer is [N, C] packed on C like x.
  Layout sl = flat_layout(outer);
  int mean = about_zero ? -1 : p.temp(op.name + ":mean", outer, sl), inv = p.temp(op.name + ":inv_std", outer, sl);
  Coords xc(xl.rank());
  for (size_t i = 0; i < outer_axes.size(); i++) xc[outer_axes[i]] = "c" + std::to_string(i);
  for (size_t i = 0; i < inner_axes.size(); i++) xc[inner_axes[i]] = "r" + std::to_string(i);
  bool vec = vector_c && sl.packed == 1 && xl.packed == 1;
  auto pass = [&](int out, bool second) {
    auto body = [&](Kernel& k) {
      std::string T = vec ? "vec4" : "float";
      std::string read = vec ? k.vec4_along(x, xc, 1) : k.element(x, xc);
      std::ostringstream s;
      if (second) {
        std::string m = about_zero ? T + "(0.0)" : vec ? k.texel(mean, "t") : k.element(mean, k.out_coords());
        s << "  " << T << " m = " << m << ";\n  " << T << " acc = " << T << "(0.0);\n";
        s << nested_loops(extents, "r", "    " + T + " d = " + read + " - m;\n    acc += d * d;\n");
        s << "  " << T << " res = inversesqrt(acc / " << glsl_float(static_cast<double>(n)) << " + " << glsl_float(eps(op)) << ");\n";
      } else {
        s << "  " << T << " acc = " << T << "(0.0);\n";
        s << nested_loops(extents, "r", "    acc += " + read + ";\n");
        s << "  " << T << " res = acc / " << glsl_float(static_cast<double>(n)) << ";\n";
      }
      s << (vec ? "  vec4 r = res;\n" : "  v = res;\n");
      return s.str();
    };
    if (vec) texel_kernel(op, p, out, body);
    else element_kernel(op, p, out, body);
  };
  if (!about_zero) pass(mean, false);
  pass(inv, true);
  return {mean, inv};
}

void instance_norm(const ir::Operator& op, Program& p) {
  const ir::Variable* yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(op.inputs[0]), y = p.var(yv), scale = p.var(op.inputs[1]), bias = p.var(op.inputs[2]);
  int rank = yv->rank();
  std::vector<int> inner;
  for (int a = 2; a < rank; a++) inner.push_back(a);
  Stats st = moments(op, p, x, {0, 1}, inner, true);
  texel_kernel(op, p, y, [&](Kernel& k) {
    std::ostringstream s;
    std::string mean, inv;
    if (k.out_layout().packed == 1) {
      mean = k.vec4_along(st.mean, {"c0", "c1"}, 1);
      inv = k.vec4_along(st.inv_std, {"c0", "c1"}, 1);
    } else {
      mean = "vec4(" + k.element(st.mean, {"c0", "c1"}) + ")";
      inv = "vec4(" + k.element(st.inv_std, {"c0", "c1"}) + ")";
    }
    s << "  vec4 x = " << k.vec4_along(x, k.out_coords(), k.out_layout().packed) << ";\n";
    s << "  vec4 r = (x - " << mean << ") * " << inv << " * " << channel_vec4(k, scale) << " + " << channel_vec4(k, bias)
      << ";\n";
    return s.str();
  });
}

// Over the last axes of a rank-4 tensor (channels-last blocks: [N, H, W, C]), the output
// row-major, so that the four elements of a texel share their statistics (one texel a fragment);
// the default image layout would pack axis 1.
void layer_norm_layouts(const ir::Operator& op, Program& p) {
  const ir::Variable* y = op.outputs[0];
  int64_t axis = params::LayerNormalization::parse(op.params).axis;
  if (y->rank() == 4 && (axis < 0 ? axis + 4 : axis) > 1) request_layout(p, y, flat_layout(y->shape));
}

void layer_norm(const ir::Operator& op, Program& p) {
  const ir::Variable* yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(op.inputs[0]), y = p.var(yv), scale = p.var(op.inputs[1]);
  int bias = op.inputs.size() > 2 && op.inputs[2] ? p.var(op.inputs[2]) : -1;
  const params::LayerNormalization lp = params::LayerNormalization::parse(op.params);
  int axis = static_cast<int>(lp.axis), rank = yv->rank();
  std::vector<int> outer, inner;
  for (int a = 0; a < rank; a++) (a < axis ? outer : inner).push_back(a);
  Stats st = moments(op, p, x, outer, inner, false, lp.rms);
  int packed = p.at(y).layout.packed;
  bool vector = packed >= axis;  // the 4 elements of a texel share their statistics
  auto body = [&](Kernel& k) {
    Coords oc = k.out_coords(), sc(oc.begin(), oc.begin() + axis);
    std::ostringstream s;
    auto read = [&](int v) {
      int va = packed - (rank - p.at(v).layout.rank());
      return vector ? k.vec4_along(v, k.broadcast(v, oc), va) : "vec4(" + k.element(v, k.broadcast(v, oc)) + ")";
    };
    s << "  vec4 x = " << read(x) << ";\n";
    const std::string centred = lp.rms ? "x" : "(x - vec4(" + k.element(st.mean, sc) + "))";
    s << "  vec4 n = " << centred << " * " << k.element(st.inv_std, sc) << ";\n";
    s << "  vec4 res = n * " << read(scale) << (bias >= 0 ? " + " + read(bias) : "") << ";\n";
    s << (vector ? "  vec4 r = res;\n" : "  v = res.x;\n");
    return s.str();
  };
  if (vector) texel_kernel(op, p, y, body);
  else element_kernel(op, p, y, body);
}

void lrn(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  params::Lrn lrn_params = params::Lrn::parse(op.params);
  int64_t size = lrn_params.size, C = xv->shape[1];
  double alpha = lrn_params.alpha, beta = lrn_params.beta, bias = lrn_params.bias;
  int64_t back = (size - 1) / 2, forward = size - 1 - back;
  element_kernel(op, p, y, [&](Kernel& k) {
    Coords oc = k.out_coords(), xc = oc;
    xc[1] = "ch";
    std::ostringstream s;
    s << "  float acc = 0.0;\n";
    s << "  for (int ch = max(0, c1 - " << back << "); ch <= min(" << C - 1 << ", c1 + " << forward << "); ch++) {\n";
    s << "    float e = " << k.element(x, xc) << ";\n    acc += e * e;\n  }\n";
    s << "  v = " << k.element(x, oc) << " / pow(" << glsl_float(bias) << " + " << glsl_float(alpha / static_cast<double>(size))
      << " * acc, " << glsl_float(beta) << ");\n";
    return s.str();
  });
}

void softmax(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  int x = p.var(xv), y = p.var(yv);
  int axis = static_cast<int>(params::Axis::parse(op.params).axis), rank = xv->rank();
  bool log = op.type == "LogSoftmax";
  int64_t n = xv->shape[axis];
  Shape outer;
  for (int a = 0; a < rank; a++)
    if (a != axis) outer.push_back(xv->shape[a]);
  Layout sl = flat_layout(outer);
  int mx = p.temp(op.name + ":max", outer, sl), sum = p.temp(op.name + ":sum", outer, sl);
  // x coordinates from the statistics' coordinates and the loop variable.
  auto x_at = [&](const std::string& i) {
    Coords c;
    int o = 0;
    for (int a = 0; a < rank; a++) c.push_back(a == axis ? i : "c" + std::to_string(o++));
    return c;
  };
  element_kernel(op, p, mx, [&](Kernel& k) {
    return "  v = uintBitsToFloat(0xff800000u);\n  for (int i = 0; i < " + glsl_int(n) + "; i++) v = max(v, " +
           k.element(x, x_at("i")) + ");\n";
  });
  element_kernel(op, p, sum, [&](Kernel& k) {
    return "  float m = " + k.element(mx, k.out_coords()) + ";\n  for (int i = 0; i < " + glsl_int(n) + "; i++) v += exp(" +
           k.element(x, x_at("i")) + " - m);\n";
  });
  element_kernel(op, p, y, [&](Kernel& k) {
    Coords sc;
    for (int a = 0; a < rank; a++)
      if (a != axis) sc.push_back("c" + std::to_string(a));
    std::string d = "(" + k.element(x, k.out_coords()) + " - " + k.element(mx, sc) + ")";
    std::string s = k.element(sum, sc);
    return log ? "  v = " + d + " - log(" + s + ");\n" : "  v = exp(" + d + ") / " + s + ";\n";
  });
}

}  // namespace

WEBDNN_GLSL_KERNEL(batch_norm, nullptr, "BatchNormalization");
WEBDNN_GLSL_KERNEL(instance_norm, nullptr, "InstanceNormalization");
WEBDNN_GLSL_KERNEL(layer_norm, layer_norm_layouts, "LayerNormalization");
WEBDNN_GLSL_KERNEL(lrn, nullptr, "LRN");
WEBDNN_GLSL_KERNEL(softmax, nullptr, "Softmax", "LogSoftmax");

}  // namespace webdnn::backends::webgl
