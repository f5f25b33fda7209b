// Convolutions over NCHW tensors, bias and epilogue applied as each output is stored.
//   Conv: an implicit GEMM (see gemm() in gemm.cc): per image and group, the weights [M, C*kh*kw]
//     times the image's patches [C*kh*kw, OH*OW], whose elements are read from the input as the
//     tiles are staged (zero outside it), never materialized. 1x1 convolutions without stride
//     or padding read the input as the matrix it is.
//   Depthwise Conv (one input channel per group): one invocation per output element, the window
//     unrolled.
//   ConvTranspose: one invocation per output element, gathering the input pixels whose
//     scattered kernel reaches it.
#include <sstream>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgpu {
namespace {

struct Window {
  int64_t kh, kw, sh, sw, pt, pl, dh, dw, group;
};

// The window's numbers under short names (Conv or ConvTranspose).
Window window_of(const ir::Operator& op) {
  bool transpose = op.type == "ConvTranspose";
  params::Window w = transpose ? params::ConvTranspose::parse(op.params).window : params::Conv::parse(op.params).window;
  int64_t group = transpose ? params::ConvTranspose::parse(op.params).group : params::Conv::parse(op.params).group;
  return {w.kernel[0], w.kernel[1], w.strides[0], w.strides[1], w.pads[0], w.pads[1], w.dilations[0], w.dilations[1], group};
}

// Bias (input 2) plus the epilogue, through the store function.
std::string finish(const ir::Operator& op, Program& program, const std::string& index, const std::string& channel,
                   const std::string& value) {
  std::string v = value;
  if (op.input(2)) v += " + " + program.read(op.inputs[2], channel);
  return "store_y(" + index + ", " + v + ");";
}

void depthwise(const ir::Operator& op, Program& program, const Window& w) {
  const ir::Variable *x = op.inputs[0], *wt = op.inputs[1], *y = op.outputs[0];
  int64_t C = x->shape[1], H = x->shape[2], W = x->shape[3], M = y->shape[1], OH = y->shape[2], OW = y->shape[3];
  int64_t mult = M / C;  // output channels per input channel
  std::ostringstream b;
  b << "  let ow = i % " << u32(OW) << ";\n"
    << "  let oh = (i / " << u32(OW) << ") % " << u32(OH) << ";\n"
    << "  let m = (i / " << u32(OW * OH) << ") % " << u32(M) << ";\n"
    << "  let n = i / " << u32(OW * OH * M) << ";\n"
    << "  let xb = (n * " << u32(C) << " + m / " << u32(mult) << ") * " << u32(H * W) << ";\n"
    << "  let wb = m * " << u32(w.kh * w.kw) << ";\n"
    << "  let ih0 = i32(oh * " << u32(w.sh) << ") - " << i32(w.pt) << ";\n"
    << "  let iw0 = i32(ow * " << u32(w.sw) << ") - " << i32(w.pl) << ";\n"
    << "  var sum = 0.0;\n";
  for (int64_t r = 0; r < w.kh; r++) {
    b << "  {\n    let ih = ih0 + " << i32(r * w.dh) << ";\n"
      << "    let hin = (ih >= 0i) & (ih < " << i32(H) << ");\n"
      << "    let hr = u32(clamp(ih, 0i, " << i32(H - 1) << ")) * " << u32(W) << ";\n";
    for (int64_t s = 0; s < w.kw; s++) {
      b << "    { let iw = iw0 + " << i32(s * w.dw) << ";\n"
        << "      let v = " << program.read(x, "xb + hr + u32(clamp(iw, 0i, " + i32(W - 1) + "))") << ";\n"
        << "      sum = sum + select(0.0, v, hin & (iw >= 0i) & (iw < " << i32(W) << ")) * "
        << program.read(wt, "wb + " + u32(r * w.kw + s)) << "; }\n";
    }
    b << "  }\n";
  }
  b << "  " << finish(op, program, "i", "m", "sum") << "\n";
  std::string extra = store_function(op, 3, program);
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()), extra);
}

// The CPU kernel's accumulation for a convolution: loops over input channels and window taps
// instead of a flat depth, so that each tap's input position is an addition away from its
// column's window corner (found once) rather than divisions of the depth index. The taps of a
// window row are unrolled (rows of up to 3).
std::string window_loop(Program& program, const ir::Variable* x, const ir::Variable* wt, const Window& w,
                        const std::string& image, int64_t Mg, int64_t K, int64_t H, int64_t W, int64_t OW, bool padded,
                        int tm, int tn) {
  const int64_t KK = w.kh * w.kw, Cg = K / KK;
  // Unrolling whole 3x3 windows runs ResNet50 about 15% faster on SwiftShader but takes 45% longer
  // to compile its pipelines (at load): rows are looped, their taps unrolled.
  const bool unroll = KK == 1;
  std::ostringstream c;
  c << "  let xb = " << image << ";\n";
  for (int r = 0; r < tm; r++) {
    std::string row = "am" + std::to_string(r);
    if (w.group > 1) row = "((bt % " + u32(w.group) + ") * " + u32(Mg) + " + " + row + ")";
    c << "  let wr" << r << " = " << row << " * " << u32(K) << ";\n";
  }
  for (int q = 0; q < tn; q++)
    c << "  let ih" << q << " = i32((bn" << q << " / " << u32(OW) << ") * " << u32(w.sh) << ") - " << i32(w.pt) << ";\n"
      << "  let iw" << q << " = i32((bn" << q << " % " << u32(OW) << ") * " << u32(w.sw) << ") - " << i32(w.pl) << ";\n";
  c << "  for (var ci = 0u; ci < " << u32(Cg) << "; ci = ci + 1u) {\n"
    << "    let xc = xb + ci * " << u32(H * W) << ";\n"
    << "    let wc = ci * " << u32(KK) << ";\n";
  auto tap = [&](const std::string& r, const std::string& s, const std::string& indent) {
    c << indent << "let kk = wc + " << r << " * " << u32(w.kw) << " + " << s << ";\n";
    for (int i = 0; i < tm; i++) c << indent << "let a" << i << " = " << program.read(wt, "wr" + std::to_string(i) + " + kk") << ";\n";
    for (int q = 0; q < tn; q++) {
      std::string qs = std::to_string(q);
      c << indent << "let h" << qs << " = ih" << qs << " + i32(" << r << " * " << u32(w.dh) << ");\n"
        << indent << "let v" << qs << " = iw" << qs << " + i32(" << s << " * " << u32(w.dw) << ");\n"
        << indent << "let b" << qs << " = ";
      if (padded)
        c << "select(0.0, "
          << program.read(x, "xc + u32(clamp(h" + qs + ", 0i, " + i32(H - 1) + ")) * " + u32(W) + " + u32(clamp(v" + qs +
                                 ", 0i, " + i32(W - 1) + "))")
          << ", (h" << qs << " >= 0i) & (h" << qs << " < " << i32(H) << ") & (v" << qs << " >= 0i) & (v" << qs << " < "
          << i32(W) << "));\n";
      else
        c << program.read(x, "xc + u32(h" + qs + ") * " + u32(W) + " + u32(v" + qs + ")") << ";\n";
    }
    for (int i = 0; i < tm; i++)
      for (int q = 0; q < tn; q++) {
        std::string a = "acc" + std::to_string(i) + "_" + std::to_string(q);
        c << indent << a << " = " << a << " + a" << i << " * b" << q << ";\n";
      }
  };
  if (unroll) {
    for (int64_t r = 0; r < w.kh; r++)
      for (int64_t s = 0; s < w.kw; s++) {
        c << "    {\n";
        tap(u32(r), u32(s), "      ");
        c << "    }\n";
      }
  } else {
    c << "    for (var r = 0u; r < " << u32(w.kh) << "; r = r + 1u) {\n";
    if (w.kw <= 3) {
      for (int64_t s = 0; s < w.kw; s++) {
        c << "      {\n";
        tap("r", u32(s), "        ");
        c << "      }\n";
      }
    } else {
      c << "      for (var s = 0u; s < " << u32(w.kw) << "; s = s + 1u) {\n";
      tap("r", "s", "        ");
      c << "      }\n";
    }
    c << "    }\n";
  }
  c << "  }\n";
  return c.str();
}

void conv(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *wt = op.inputs[1], *y = op.outputs[0];
  Window w = window_of(op);
  int64_t N = x->shape[0], C = x->shape[1], H = x->shape[2], W = x->shape[3];
  int64_t M = y->shape[1], OH = y->shape[2], OW = y->shape[3];
  int64_t G = w.group, Cg = C / G, Mg = M / G, KK = w.kh * w.kw, K = Cg * KK, P = OH * OW;
  if (Cg == 1 && G > 1) return depthwise(op, program, w);
  bool pointwise = w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1 && w.pt == 0 && w.pl == 0 && OH == H && OW == W;
  // Whether some tap falls outside the image (then reads are clamped and their values dropped).
  bool padded = w.pt > 0 || w.pl > 0 || (OH - 1) * w.sh + (w.kh - 1) * w.dh - w.pt >= H ||
                (OW - 1) * w.sw + (w.kw - 1) * w.dw - w.pl >= W;
  // The patch element (k, p) of image/group bt, as a function (the index math needs statements).
  std::ostringstream f;
  f << "fn load_x(bt: u32, k: u32, p: u32) -> f32 {\n";
  std::string image = G == 1 ? "bt * " + u32(C * H * W) : "((bt / " + u32(G) + ") * " + u32(C) + " + (bt % " + u32(G) + ") * " + u32(Cg) + ") * " + u32(H * W);
  if (pointwise) {
    f << "  return " << program.read(x, image + " + k * " + u32(H * W) + " + p") << ";\n";
  } else {
    f << "  let c = k / " << u32(KK) << ";\n"
      << "  let r = (k / " << u32(w.kw) << ") % " << u32(w.kh) << ";\n"
      << "  let s = k % " << u32(w.kw) << ";\n"
      << "  let ih = i32((p / " << u32(OW) << ") * " << u32(w.sh) << " + r * " << u32(w.dh) << ") - " << i32(w.pt) << ";\n"
      << "  let iw = i32((p % " << u32(OW) << ") * " << u32(w.sw) << " + s * " << u32(w.dw) << ") - " << i32(w.pl) << ";\n";
    std::string at = image + " + c * " + u32(H * W) + " + u32(clamp(ih, 0i, " + i32(H - 1) + ")) * " + u32(W) +
                     " + u32(clamp(iw, 0i, " + i32(W - 1) + "))";
    if (!padded) at = image + " + c * " + u32(H * W) + " + u32(ih) * " + u32(W) + " + u32(iw)";
    std::string v = program.read(x, at);
    if (padded)
      v = "select(0.0, " + v + ", (ih >= 0i) & (ih < " + i32(H) + ") & (iw >= 0i) & (iw < " + i32(W) + "))";
    f << "  return " << v << ";\n";
  }
  f << "}\n";
  GemmSpec s;
  s.batch = N * G, s.M = Mg, s.N = P, s.K = K;
  s.a = [&](const std::string& bt, const std::string& m, const std::string& k) {
    std::string row = G == 1 ? m : "(bt % " + u32(G) + ") * " + u32(Mg) + " + " + m;
    (void)bt;
    return program.read(wt, "(" + row + ") * " + u32(K) + " + " + k);
  };
  s.b = [&](const std::string& bt, const std::string& k, const std::string& n) {
    return "load_x(" + bt + ", " + k + ", " + n + ")";
  };
  (void)s.a("0u", "0u", "0u");
  s.store = [&](const std::string& bt, const std::string& m, const std::string& n, const std::string& v) {
    std::string channel = G == 1 ? m : "(" + bt + " % " + u32(G) + ") * " + u32(Mg) + " + " + m;
    std::string index = G == 1 ? "(" + bt + " * " + u32(M) + " + " + m + ") * " + u32(P) + " + " + n
                               : "((" + bt + " / " + u32(G) + ") * " + u32(M) + " + " + channel + ") * " + u32(P) + " + " + n;
    return finish(op, program, index, channel, v);
  };
  if (op.input(2)) (void)program.read(op.inputs[2], "0u");
  s.extra = f.str() + store_function(op, 3, program);
  if (!pointwise)
    s.cpu_loop = [&](int tm, int tn) { return window_loop(program, x, wt, w, image, Mg, K, H, W, OW, padded, tm, tn); };
  gemm(op, program, s);
}

void conv_transpose(const ir::Operator& op, Program& program) {
  const ir::Variable *x = op.inputs[0], *wt = op.inputs[1], *y = op.outputs[0];
  Window w = window_of(op);
  int64_t C = x->shape[1], H = x->shape[2], W = x->shape[3];
  int64_t M = y->shape[1], OH = y->shape[2], OW = y->shape[3];
  int64_t G = w.group, Cg = C / G, Mg = M / G;
  std::ostringstream b;
  b << "  let ow = i % " << u32(OW) << ";\n"
    << "  let oh = (i / " << u32(OW) << ") % " << u32(OH) << ";\n"
    << "  let m = (i / " << u32(OW * OH) << ") % " << u32(M) << ";\n"
    << "  let n = i / " << u32(OW * OH * M) << ";\n"
    << "  let g = m / " << u32(Mg) << ";\n"
    << "  let ml = m % " << u32(Mg) << ";\n"
    << "  var sum = 0.0;\n";
  for (int64_t r = 0; r < w.kh; r++)
    for (int64_t s = 0; s < w.kw; s++) {
      // oh = ih * sh - pt + r * dh: the input row this tap comes from, if any.
      b << "  {\n    let th = i32(oh) + " << i32(w.pt - r * w.dh) << ";\n"
        << "    let tw = i32(ow) + " << i32(w.pl - s * w.dw) << ";\n"
        << "    let ih = th / " << i32(w.sh) << ";\n"
        << "    let iw = tw / " << i32(w.sw) << ";\n"
        << "    if ((th >= 0i) & (tw >= 0i) & (th % " << i32(w.sh) << " == 0i) & (tw % " << i32(w.sw) << " == 0i) & (ih < "
        << i32(H) << ") & (iw < " << i32(W) << ")) {\n"
        << "      let xb = (n * " << u32(C) << " + g * " << u32(Cg) << ") * " << u32(H * W) << " + u32(ih) * " << u32(W)
        << " + u32(iw);\n"
        << "      let wb = (g * " << u32(Cg) << " * " << u32(Mg) << " + ml) * " << u32(w.kh * w.kw) << " + "
        << u32(r * w.kw + s) << ";\n"
        << "      for (var c = 0u; c < " << u32(Cg) << "; c = c + 1u) {\n"
        << "        sum = sum + " << program.read(x, "xb + c * " + u32(H * W)) << " * "
        << program.read(wt, "wb + c * " + u32(Mg * w.kh * w.kw)) << ";\n"
        << "      }\n    }\n  }\n";
    }
  b << "  " << finish(op, program, "i", "m", "sum") << "\n";
  std::string extra = store_function(op, 3, program);
  program.dispatch(op, b.str(), y->size(), workgroup_for(y->size()), extra);
}

}  // namespace

WEBDNN_WGSL_KERNEL(conv, "Conv");
WEBDNN_WGSL_KERNEL(conv_transpose, "ConvTranspose");

}  // namespace webdnn::backends::webgpu
