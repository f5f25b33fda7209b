// Conv and ConvTranspose.
//
// Conv on image layouts with a constant weight (the fast path): a fragment computes L
// neighbouring output pixels (the layers of the output's image layout, up to 8) of one quad of
// output channels. For each kernel row and input channel quad it reads the input texels under
// all L windows once (L + KW - 1 of them at stride 1) and, per kernel column, the 4 weight
// texels (4 output channels each) of that quad, then accumulates L x 16 multiply-adds: every
// weight texel serves L pixels and every input texel up to KW taps. Grouped convolutions whose
// groups hold whole channel quads, and depthwise ones (one channel per group), use the same
// scheme. Windows that barely overlap (patches) read their taps in a loop over the kernel's
// columns instead. Anything else (a weight computed at run time, odd groups) goes element by element.
#include <algorithm>
#include <set>
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {
namespace {

struct ConvParams {
  int64_t kh, kw, sh, sw, pt, pl, dh, dw, group;
};

// The window's numbers under short names (Conv or ConvTranspose).
ConvParams conv_params(const ir::Operator& op) {
  bool transpose = op.type == "ConvTranspose";
  params::Window w = transpose ? params::ConvTranspose::parse(op.params).window : params::Conv::parse(op.params).window;
  int64_t group = transpose ? params::ConvTranspose::parse(op.params).group : params::Conv::parse(op.params).group;
  return {w.kernel[0], w.kernel[1], w.strides[0], w.strides[1], w.pads[0], w.pads[1], w.dilations[0], w.dilations[1], group};
}

// [M, Cg, KH, KW] with output channels packed, then kh, kw and the input channels (padded to 4).
Layout conv_weight_layout(const Shape& w) {
  Layout l = ordered_layout(w, {0, 2, 3, 1}, 0);
  l.dims[3].extent = ceil_div(w[1], 4) * 4;
  return l;
}

bool same_dims(const Layout& a, const Layout& b) {
  if (a.packed != b.packed || a.dims.size() != b.dims.size()) return false;
  for (size_t i = 0; i < a.dims.size(); i++)
    if (a.dims[i].axis != b.dims[i].axis || a.dims[i].extent != b.dims[i].extent) return false;
  return true;
}

bool is_image(const Layout& l) {
  if (l.rank() != 4) return false;
  Layout i = image_layout(l.shape);
  return same_dims(l, i) && l.layers == i.layers;
}

enum class Path { Dense, Depthwise, Generic };

Path conv_path(const ir::Operator& op, Program& p) {
  const ir::Variable *x = op.inputs[0], *w = op.inputs[1];
  ConvParams c = conv_params(op);
  int64_t C = x->shape[1], M = op.outputs[0]->shape[1], Cg = C / c.group, Mg = M / c.group;
  if (!w->is_constant() || !is_image(p.at(p.var(x)).layout) || !is_image(p.at(p.var(op.outputs[0])).layout)) return Path::Generic;
  if (!same_dims(p.at(p.var(w)).layout, conv_weight_layout(w->shape))) return Path::Generic;
  if (c.group == 1 || (Cg % 4 == 0 && Mg % 4 == 0)) return Path::Dense;
  if (Cg == 1 && Mg == 1) return Path::Depthwise;
  return Path::Generic;
}

void conv_layouts(const ir::Operator& op, Program& p) {
  const ir::Variable* w = op.inputs[1];
  if (w->is_constant()) request_layout(p, w, conv_weight_layout(w->shape));
}

void conv_fast(const ir::Operator& op, Program& p, Path path) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  ConvParams cp = conv_params(op);
  int x = p.var(xv), w = p.var(op.inputs[1]), y = p.var(yv);
  int bias = op.inputs.size() > 2 ? p.var(op.inputs[2]) : -1;
  const Layout &xl = p.at(x).layout, &yl = p.at(y).layout, &wl = p.at(w).layout;
  int64_t H = xv->shape[2], W = xv->shape[3], C = xv->shape[1], M = yv->shape[1];
  int64_t Cg = C / cp.group, Mg = M / cp.group, L = yl.layers;
  int64_t xC4 = xl.texel_extent(1), xWp = xl.texel_extent(3), wCp = wl.texel_extent(1);
  Kernel k(p, op, y);
  std::string X = k.input(x), Wt = k.input(w);
  // Input texel offsets under the L windows of one kernel row: j = pixel * sw + column * dw.
  std::vector<int64_t> js;
  for (int64_t px = 0; px < L; px++)
    for (int64_t kx = 0; kx < cp.kw; kx++) js.push_back(px * cp.sw + kx * cp.dw);
  std::sort(js.begin(), js.end());
  js.erase(std::unique(js.begin(), js.end()), js.end());
  // Windows that barely overlap (a ViT's 16 x 16 patches at stride 16: 128 texels under 8
  // windows) are read in a loop over the kernel's columns instead: as 128 live vec4s SwiftShader
  // took 180 s on one draw of ViT-tiny's patch embedding, losing the context.
  const bool rolled = static_cast<int64_t>(js.size()) > 4 * L + 16;
  // `mat4 wm`: the 4 weight texels from `int wt` (a multiple of 4) on, 4 output channels each.
  auto dense_weights = [&]() -> std::string {
    if (wl.width < 4)
      return "        mat4 wm = mat4(" + k.texel(w, "wt") + ", " + k.texel(w, "wt + 1") + ", " + k.texel(w, "wt + 2") + ", " +
             k.texel(w, "wt + 3") + ");\n";
    // 4 texels in one texture row: one texture coordinate, stepped.
    const std::string du = "vec2(" + k.input(w) + "_inv.x, 0.0)";
    return "        vec2 wu = " + k.uv(w, "wt") + ";\n        mat4 wm = mat4(" + k.fetch(w, "wu", "0.0") + ", " +
           k.fetch(w, "wu + " + du, "0.0") + ", " + k.fetch(w, "wu + 2.0 * " + du, "0.0") + ", " +
           k.fetch(w, "wu + 3.0 * " + du, "0.0") + ");\n";
  };
  std::ostringstream s;
  s << "void main() {\n  int q = int(gl_FragCoord.y) * " << glsl_int(yl.width) << " + int(gl_FragCoord.x);\n";
  s << "  if (q >= " << glsl_int(yl.planes()) << ") {";
  for (int64_t l = 0; l < L; l++) s << " o" << l << " = vec4(0.0);";
  s << " return; }\n";
  s << "  int t = q * " << L << ";\n" << k.decode("t");
  s << "  int m4 = c1 >> 2;\n";
  std::string b = bias >= 0 ? k.texel(bias, "m4") : "vec4(0.0)";
  s << "  vec4 b = " << b << ";\n";
  for (int64_t l = 0; l < L; l++) s << "  vec4 a" << l << " = b;\n";
  s << "  int iw0 = c3 * " << cp.sw << " - " << cp.pl << ";\n";
  if (!rolled)
    for (int64_t j : js) s << "  bool v" << j << " = iw0 + " << j << " >= 0 && iw0 + " << j << " < " << W << ";\n";
  // The input channel quads this output quad reads.
  std::string cbase = "0";
  int64_t quads = ceil_div(Cg, 4);
  if (path == Path::Depthwise) {
    cbase = "m4";
    quads = 1;
  } else if (cp.group > 1) {
    s << "  int cb = (m4 * 4 / " << Mg << ") * " << Cg / 4 << ";\n";
    cbase = "cb";
  }
  s << "  for (int kh = 0; kh < " << cp.kh << "; kh++) {\n";
  s << "    int ih = c2 * " << cp.sh << " - " << cp.pt << " + kh * " << cp.dh << ";\n";
  s << "    if (ih < 0 || ih >= " << H << ") continue;\n";
  s << "    int row = ((c0 * " << H << " + ih) * " << xC4 << " + " << cbase << ") * " << xWp << " + iw0;\n";
  s << "    int wrow = (m4 * " << cp.kh << " + kh) * " << cp.kw * wCp << ";\n";
  // The input texels of one kernel row, addressed once per plane position: row is known
  // modulo the input's layers (c3 is a multiple of L), so each j has a fixed layer.
  int64_t Lx = xl.layers, r0 = ((-cp.pl) % Lx + Lx) % Lx;
  bool fixed_layers = (L * cp.sw) % Lx == 0;
  if (fixed_layers && !rolled) s << "    int qrow = (row - " << r0 << ") >> " << log2_exact(Lx) << ";\n";
  s << "    for (int c = 0; c < " << quads << "; c++) {\n";
  if (rolled) {
    s << "      int xt = row + c * " << xWp << ";\n";
    s << "      for (int kx = 0; kx < " << cp.kw << "; kx++) {\n";
    s << "        int wt = wrow + kx * " << wCp << (path == Path::Depthwise ? "" : " + c * 4") << ";\n";
    if (path == Path::Depthwise) s << "        vec4 w = " << k.texel(w, "wt") << ";\n";
    else s << dense_weights();
    for (int64_t l = 0; l < L; l++) {
      s << "        { int j = kx * " << cp.dw << " + " << l * cp.sw << ";\n";
      s << "          vec4 x = iw0 + j >= 0 && iw0 + j < " << W << " ? " << k.texel(x, "xt + j") << " : vec4(0.0);\n";
      s << "          a" << l << " += " << (path == Path::Depthwise ? "x * w" : "wm * x") << "; }\n";
    }
    s << "      }\n";
  } else {
    if (fixed_layers) {
      s << "      int qc = qrow + c * " << xWp / Lx << ";\n";
      std::set<int64_t> dqs;
      for (int64_t j : js) dqs.insert((r0 + j) / Lx);
      for (int64_t dq : dqs) s << "      vec2 u" << dq << " = " << k.uv(x, "qc + " + std::to_string(dq)) << ";\n";
      for (int64_t j : js)
        s << "      vec4 x" << j << " = v" << j << " ? " << k.fetch(x, "u" + std::to_string((r0 + j) / Lx), std::to_string((r0 + j) % Lx) + ".0")
          << " : vec4(0.0);\n";
    } else {
      s << "      int xt = row + c * " << xWp << ";\n";
      for (int64_t j : js) s << "      vec4 x" << j << " = v" << j << " ? " << k.texel(x, "xt + " + std::to_string(j)) << " : vec4(0.0);\n";
    }
    for (int64_t kx = 0; kx < cp.kw; kx++) {
      if (path == Path::Depthwise) {
        s << "      vec4 w" << kx << " = " << k.texel(w, "wrow + " + std::to_string(kx * wCp)) << ";\n";
        for (int64_t l = 0; l < L; l++) s << "      a" << l << " += x" << l * cp.sw + kx * cp.dw << " * w" << kx << ";\n";
      } else {
        s << "      {\n        int wt = wrow + " << kx * wCp << " + c * 4;\n" << dense_weights();
        for (int64_t l = 0; l < L; l++) s << "        a" << l << " += wm * x" << l * cp.sw + kx * cp.dw << ";\n";
        s << "      }\n";
      }
    }
  }
  s << "    }\n  }\n";
  for (int64_t l = 0; l < L; l++) {
    std::string code;
    Coords c = {"c0", "c1", "c2", "c3 + " + std::to_string(l)};
    std::string r = epilogue(k, op, 3, "a" + std::to_string(l), c, false, code, "e" + std::to_string(l) + "_");
    s << "  {\n" << code << "  o" << l << " = " << r << ";\n  }\n";
  }
  s << "}\n";
  k.custom_main(s.str());
  k.finish();
}

// One output element at a time: any layout, groups and weights.
void conv_generic(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0];
  ConvParams cp = conv_params(op);
  int x = p.var(xv), w = p.var(op.inputs[1]), y = p.var(yv);
  int bias = op.inputs.size() > 2 ? p.var(op.inputs[2]) : -1;
  int64_t H = xv->shape[2], W = xv->shape[3], C = xv->shape[1], M = yv->shape[1];
  int64_t Cg = C / cp.group, Mg = M / cp.group;
  element_kernel(op, p, y, [&](Kernel& k) {
    std::ostringstream s;
    s << "  int g = c1 / " << Mg << ";\n";
    s << "  float acc = " << (bias >= 0 ? k.element(bias, {"c1"}) : "0.0") << ";\n";
    s << "  for (int kh = 0; kh < " << cp.kh << "; kh++) {\n";
    s << "    int ih = c2 * " << cp.sh << " - " << cp.pt << " + kh * " << cp.dh << ";\n";
    s << "    if (ih < 0 || ih >= " << H << ") continue;\n";
    s << "    for (int kw = 0; kw < " << cp.kw << "; kw++) {\n";
    s << "      int iw = c3 * " << cp.sw << " - " << cp.pl << " + kw * " << cp.dw << ";\n";
    s << "      if (iw < 0 || iw >= " << W << ") continue;\n";
    s << "      for (int c = 0; c < " << Cg << "; c++)\n";
    s << "        acc += " << k.element(x, {"c0", "g * " + std::to_string(Cg) + " + c", "ih", "iw"}) << " * "
      << k.element(w, {"c1", "c", "kh", "kw"}) << ";\n";
    s << "    }\n  }\n";
    std::string code;
    std::string r = epilogue(k, op, 3, "vec4(acc)", k.out_coords(), true, code);
    s << code << "  v = " << r << ".x;\n";
    return s.str();
  });
}

void conv(const ir::Operator& op, Program& p) {
  if (op.outputs[0]->size() == 0) return;
  Path path = conv_path(op, p);
  if (path == Path::Generic) conv_generic(op, p);
  else conv_fast(op, p, path);
}

// ConvTranspose: output texel (4 output channels at one pixel) gathers from every input pixel
// whose kernel window covers it; weights [C, M/group, KH, KW] read as 4 output channels per
// texel when laid out so (input channels, then kh, kw, the output channels packed).
Layout conv_transpose_weight_layout(const Shape& w) {
  return ordered_layout(w, {2, 3, 0, 1}, 1);  // kh, kw, c, m/4
}

void conv_transpose_layouts(const ir::Operator& op, Program& p) {
  const ir::Variable* w = op.inputs[1];
  if (w->is_constant()) request_layout(p, w, conv_transpose_weight_layout(w->shape));
}

void conv_transpose(const ir::Operator& op, Program& p) {
  const ir::Variable *xv = op.inputs[0], *yv = op.outputs[0], *wv = op.inputs[1];
  if (yv->size() == 0) return;
  ConvParams cp = conv_params(op);
  int x = p.var(xv), w = p.var(wv), y = p.var(yv);
  int bias = op.inputs.size() > 2 ? p.var(op.inputs[2]) : -1;
  int64_t H = xv->shape[2], W = xv->shape[3], C = xv->shape[1], M = yv->shape[1];
  int64_t Cg = C / cp.group, Mg = M / cp.group;
  // Vectorized over 4 output channels when they share a group and the packed axes line up.
  bool vec = Mg % 4 == 0 && p.at(y).layout.packed == 1 && p.at(w).layout.packed == 1 && p.at(x).layout.packed == 1;
  auto body = [&](Kernel& k, bool vector) {
    std::ostringstream s;
    s << "  int g = c1 / " << Mg << ";\n  int mg = c1 - g * " << Mg << ";\n";
    if (vector) s << "  vec4 acc = " << (bias >= 0 ? k.vec4_along(bias, {"c1"}, 0) : "vec4(0.0)") << ";\n";
    else s << "  float acc = " << (bias >= 0 ? k.element(bias, {"c1"}) : "0.0") << ";\n";
    s << "  for (int kh = 0; kh < " << cp.kh << "; kh++) {\n";
    s << "    int sh = c2 + " << cp.pt << " - kh * " << cp.dh << ";\n";
    s << "    if (sh < 0 || sh % " << cp.sh << " != 0) continue;\n";
    s << "    int ih = sh / " << cp.sh << ";\n    if (ih >= " << H << ") continue;\n";
    s << "    for (int kw = 0; kw < " << cp.kw << "; kw++) {\n";
    s << "      int sw = c3 + " << cp.pl << " - kw * " << cp.dw << ";\n";
    s << "      if (sw < 0 || sw % " << cp.sw << " != 0) continue;\n";
    s << "      int iw = sw / " << cp.sw << ";\n      if (iw >= " << W << ") continue;\n";
    if (vector) {
      s << "      for (int c = 0; c < " << ceil_div(Cg, 4) << "; c++) {\n";
      s << "        int ci = g * " << Cg << " + c * 4;\n";
      s << "        vec4 xv = " << k.vec4_along(x, {"c0", "ci", "ih", "iw"}, 1, Cg % 4 == 0) << ";\n";
      for (int i = 0; i < 4; i++) {
        s << "        if (c * 4 + " << i << " < " << Cg << ") acc += xv[" << i << "] * "
          << k.vec4_along(w, {"ci + " + std::to_string(i), "mg", "kh", "kw"}, 1) << ";\n";
      }
      s << "      }\n";
    } else {
      s << "      for (int c = 0; c < " << Cg << "; c++)\n";
      s << "        acc += " << k.element(x, {"c0", "g * " + std::to_string(Cg) + " + c", "ih", "iw"}) << " * "
        << k.element(w, {"g * " + std::to_string(Cg) + " + c", "mg", "kh", "kw"}) << ";\n";
    }
    s << "    }\n  }\n";
    std::string code;
    std::string r = epilogue(k, op, 3, vector ? "acc" : "vec4(acc)", k.out_coords(), !vector, code);
    s << code << (vector ? "  vec4 r = " + r + ";\n" : "  v = " + r + ".x;\n");
    return s.str();
  };
  if (vec) texel_kernel(op, p, y, [&](Kernel& k) { return body(k, true); });
  else element_kernel(op, p, y, [&](Kernel& k) { return body(k, false); });
}

}  // namespace

WEBDNN_GLSL_KERNEL(conv, conv_layouts, "Conv");
WEBDNN_GLSL_KERNEL(conv_transpose, conv_transpose_layouts, "ConvTranspose");

}  // namespace webdnn::backends::webgl
