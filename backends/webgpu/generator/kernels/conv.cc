// Convolutions over NCHW tensors, bias and epilogue applied as each output is stored.
//   Conv: an implicit GEMM (see gemm() in gemm.cc): per image and group, the weights [M, C*kh*kw]
//     times the image's patches [C*kh*kw, OH*OW], whose elements are read from the input as the
//     tiles are staged (zero outside it), never materialized. 1x1 convolutions without stride
//     or padding read the input as the matrix it is.
//   Depthwise Conv (one input channel per group): one invocation per output element, the window
//     unrolled.
//   ConvTranspose: one invocation per output element, gathering the input pixels whose
//     scattered kernel reaches it.
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

// The operands every convolution kernel has: input, weights, bias (input 2, if any), then the
// epilogue's inputs and the output through store_y (its definition in `store`).
struct ConvOperands {
  Operand x, w, bias;
  std::string store;
  ConvOperands(const ir::Operator& op, Program& program)
      : x(program.input("x", op.inputs[0])), w(program.input("w", op.inputs[1])) {
    if (op.input(2)) bias = program.input("bias", op.inputs[2]);
    store = store_function(op, 3, program);
  }
  // The statement finishing output element `index` of output channel `channel` with `value`.
  std::string finish(const std::string& index, const std::string& channel, const std::string& value) const {
    return "store_y(" + index + ", " + value + (bias.variable ? " + " + bias.get(channel) : "") + ");";
  }
};

// One invocation per output element, the window unrolled.
const char* kDepthwise = R"(let ow = i % ${OW};
let oh = (i / ${OW}) % ${OH};
let m = (i / ${OHW}) % ${M};
let n = i / ${OHWM};
let xb = (n * ${C} + m / ${mult}) * ${HW};
let wb = m * ${KK};
let ih0 = i32(oh * ${sh}) - ${pt};
let iw0 = i32(ow * ${sw}) - ${pl};
var sum = 0.0;
${rows}
${finish}
)";

const char* kDepthwiseRow = R"({
  let ih = ih0 + ${dr};
  let hin = (ih >= 0i) & (ih < ${H});
  let hr = u32(clamp(ih, 0i, ${last_h})) * ${W};
  ${taps}
}
)";

const char* kDepthwiseTap = R"({
  let iw = iw0 + ${dw};
  let v = ${x};
  sum = sum + select(0.0, v, hin & (iw >= 0i) & (iw < ${W})) * ${w};
}
)";

void depthwise(const ir::Operator& op, Program& program, const Window& w) {
  ConvOperands o(op, program);
  int64_t C = o.x.shape()[1], H = o.x.shape()[2], W = o.x.shape()[3];
  const Shape& y = op.outputs[0]->shape;
  int64_t M = y[1], OH = y[2], OW = y[3];
  std::string rows;
  for (int64_t r = 0; r < w.kh; r++) {
    std::string taps;
    for (int64_t s = 0; s < w.kw; s++)
      taps += fill(kDepthwiseTap, {{"dw", i32(s * w.dw)}, {"x", o.x.get("xb + hr + u32(clamp(iw, 0i, " + i32(W - 1) + "))")},
                                   {"W", i32(W)}, {"w", o.w.get("wb + " + u32(r * w.kw + s))}});
    rows += fill(kDepthwiseRow,
                 {{"dr", i32(r * w.dh)}, {"H", i32(H)}, {"last_h", i32(H - 1)}, {"W", u32(W)}, {"taps", taps}});
  }
  std::string body = fill(kDepthwise, {{"OW", u32(OW)}, {"OH", u32(OH)}, {"OHW", u32(OW * OH)}, {"M", u32(M)},
                                       {"OHWM", u32(OW * OH * M)}, {"C", u32(C)}, {"mult", u32(M / C)},
                                       {"HW", u32(H * W)}, {"KK", u32(w.kh * w.kw)}, {"sh", u32(w.sh)},
                                       {"pt", i32(w.pt)}, {"sw", u32(w.sw)}, {"pl", i32(w.pl)}, {"rows", rows},
                                       {"finish", o.finish("i", "m", "sum")}});
  int64_t size = num_elements(y);
  program.dispatch(op, body, size, workgroup_for(size), o.store);
}

// Pixel (h, v) of the input channel starting at xc; zero outside the image when the window can
// reach past it (read at a clamped place and dropped).
const char* kPixelPadded = R"(fn pixel(xc: u32, h: i32, v: i32) -> f32 {
  let x = ${x};
  return select(0.0, x, (h >= 0i) & (h < ${H}) & (v >= 0i) & (v < ${W}));
}
)";
const char* kPixel = R"(fn pixel(xc: u32, h: i32, v: i32) -> f32 {
  return ${x};
}
)";

// The CPU kernel's accumulation for a convolution: loops over input channels and window taps
// instead of a flat depth, so that each tap's input position is an addition away from its
// column's window corner (found once) rather than divisions of the depth index.
const char* kWindowLoop = R"(let xb = ${image};
${weight_rows}
${corners}
for (var ci = 0u; ci < ${Cg}; ci = ci + 1u) {
  let xc = xb + ci * ${HW};
  let wc = ci * ${KK};
  ${taps}
}
)";

// Tap (r, s) of the window for the whole register block.
const char* kWindowTap = R"(let kk = wc + ${r} * ${kw} + ${s};
${load_a}
${load_b}
${multiply_add}
)";

struct ConvShape {
  Window w;
  int64_t Mg, K, H, W, OW;
  std::string image;  // the first element of image/group bt in x
};

std::string window_loop(const ConvOperands& o, const ConvShape& c, int tm, int tn) {
  const Window& w = c.w;
  const int64_t KK = w.kh * w.kw, Cg = c.K / KK;
  auto tap = [&](const std::string& r, const std::string& s) {
    std::string load_a, load_b;
    for (int i = 0; i < tm; i++)
      load_a += "let a" + std::to_string(i) + " = " + o.w.get("wr" + std::to_string(i) + " + kk") + ";\n";
    for (int q = 0; q < tn; q++)
      load_b += fill("let b${q} = pixel(xc, ih${q} + i32(${r} * ${dh}), iw${q} + i32(${s} * ${dw}));\n",
                     {{"q", std::to_string(q)}, {"r", r}, {"dh", u32(w.dh)}, {"s", s}, {"dw", u32(w.dw)}});
    return fill(kWindowTap, {{"r", r}, {"kw", u32(w.kw)}, {"s", s}, {"load_a", load_a}, {"load_b", load_b},
                             {"multiply_add", multiply_add(tm, tn)}});
  };
  // Unrolling whole 3x3 windows runs ResNet50 about 15% faster on SwiftShader but takes 45% longer
  // to compile its pipelines (at load): rows are looped, their taps unrolled (rows of up to 3).
  std::string taps;
  if (KK == 1) {
    taps = "{\n" + indent(tap("0u", "0u")) + "}\n";
  } else {
    std::string row;
    if (w.kw <= 3)
      for (int64_t s = 0; s < w.kw; s++) row += "{\n" + indent(tap("r", u32(s))) + "}\n";
    else
      row = "for (var s = 0u; s < " + u32(w.kw) + "; s = s + 1u) {\n" + indent(tap("r", "s")) + "}\n";
    taps = "for (var r = 0u; r < " + u32(w.kh) + "; r = r + 1u) {\n" + indent(row) + "}\n";
  }
  std::string weight_rows, corners;
  for (int r = 0; r < tm; r++) {
    std::string row = "am" + std::to_string(r);
    if (w.group > 1) row = "((bt % " + u32(w.group) + ") * " + u32(c.Mg) + " + " + row + ")";
    weight_rows += "let wr" + std::to_string(r) + " = " + row + " * " + u32(c.K) + ";\n";
  }
  for (int q = 0; q < tn; q++)
    corners += fill("let ih${q} = i32((bn${q} / ${OW}) * ${sh}) - ${pt};\nlet iw${q} = i32((bn${q} % ${OW}) * ${sw}) - ${pl};\n",
                    {{"q", std::to_string(q)}, {"OW", u32(c.OW)}, {"sh", u32(w.sh)}, {"pt", i32(w.pt)},
                     {"sw", u32(w.sw)}, {"pl", i32(w.pl)}});
  return fill(kWindowLoop, {{"image", c.image}, {"weight_rows", weight_rows}, {"corners", corners}, {"Cg", u32(Cg)},
                            {"HW", u32(c.H * c.W)}, {"KK", u32(KK)}, {"taps", taps}});
}

// The patch element (k, p) of image/group bt: input channel c, tap (r, s) of output pixel p.
const char* kLoadPatch = R"(fn load_x(bt: u32, k: u32, p: u32) -> f32 {
  let c = k / ${KK};
  let r = (k / ${kw}) % ${kh};
  let s = k % ${kw};
  let ih = i32((p / ${OW}) * ${sh} + r * ${dh}) - ${pt};
  let iw = i32((p % ${OW}) * ${sw} + s * ${dw}) - ${pl};
  return pixel(${image} + c * ${HW}, ih, iw);
}
)";

void implicit_gemm(const ir::Operator& op, Program& program) {
  Window w = window_of(op);
  const Shape &xs = op.inputs[0]->shape, &ys = op.outputs[0]->shape;
  int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3];
  int64_t M = ys[1], OH = ys[2], OW = ys[3];
  int64_t G = w.group, Cg = C / G, Mg = M / G, KK = w.kh * w.kw, K = Cg * KK, P = OH * OW;
  if (Cg == 1 && G > 1) return depthwise(op, program, w);
  ConvOperands o(op, program);
  bool pointwise = w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1 && w.pt == 0 && w.pl == 0 && OH == H && OW == W;
  // Whether some tap falls outside the image (then reads are clamped and their values dropped).
  bool padded = w.pt > 0 || w.pl > 0 || (OH - 1) * w.sh + (w.kh - 1) * w.dh - w.pt >= H ||
                (OW - 1) * w.sw + (w.kw - 1) * w.dw - w.pl >= W;
  std::string image = G == 1 ? "bt * " + u32(C * H * W)
                             : "((bt / " + u32(G) + ") * " + u32(C) + " + (bt % " + u32(G) + ") * " + u32(Cg) +
                                   ") * " + u32(H * W);
  GemmSpec s;
  s.batch = N * G, s.M = Mg, s.N = P, s.K = K;
  s.a = [&](const std::string&, const std::string& m, const std::string& k) {
    std::string row = G == 1 ? m : "(bt % " + u32(G) + ") * " + u32(Mg) + " + " + m;
    return o.w.get("(" + row + ") * " + u32(K) + " + " + k);
  };
  s.b = [&](const std::string& bt, const std::string& k, const std::string& n) {
    return "load_x(" + bt + ", " + k + ", " + n + ")";
  };
  s.store = [&](const std::string& bt, const std::string& m, const std::string& n, const std::string& v) {
    std::string channel = G == 1 ? m : "(" + bt + " % " + u32(G) + ") * " + u32(Mg) + " + " + m;
    std::string index = G == 1 ? "(" + bt + " * " + u32(M) + " + " + m + ") * " + u32(P) + " + " + n
                               : "((" + bt + " / " + u32(G) + ") * " + u32(M) + " + " + channel + ") * " + u32(P) +
                                     " + " + n;
    return o.finish(index, channel, v);
  };
  if (pointwise) {
    s.operand_functions = "fn load_x(bt: u32, k: u32, p: u32) -> f32 {\n  return " +
                          o.x.get(image + " + k * " + u32(H * W) + " + p") + ";\n}\n";
    s.extra = o.store;
    return gemm(op, program, s);
  }
  s.operand_functions = fill(kLoadPatch, {{"KK", u32(KK)}, {"kw", u32(w.kw)}, {"kh", u32(w.kh)}, {"OW", u32(OW)},
                                          {"sh", u32(w.sh)}, {"dh", u32(w.dh)}, {"pt", i32(w.pt)}, {"sw", u32(w.sw)},
                                          {"dw", u32(w.dw)}, {"pl", i32(w.pl)}, {"image", image}, {"HW", u32(H * W)}});
  // Both kernels read the image through pixel().
  std::string pixel =
      padded ? fill(kPixelPadded, {{"x", o.x.get("xc + u32(clamp(h, 0i, " + i32(H - 1) + ")) * " + u32(W) +
                                                 " + u32(clamp(v, 0i, " + i32(W - 1) + "))")},
                                   {"H", i32(H)}, {"W", i32(W)}})
             : fill(kPixel, {{"x", o.x.get("xc + u32(h) * " + u32(W) + " + u32(v)")}});
  s.extra = pixel + o.store;
  ConvShape shape{w, Mg, K, H, W, OW, image};
  s.cpu_loop = [&](int tm, int tn) { return window_loop(o, shape, tm, tn); };
  gemm(op, program, s);
}

// Winograd where it is chosen runs on GPUs only: on SwiftShader its three dispatches and the
// weight transform took longer to compile than they saved (ResNet50: pipelines 8.7 -> 10.4 s at
// load, runs 5.1 -> 4.7 s).
void conv(const ir::Operator& op, Program& program) {
  if (integer_product(op, program)) return;
  if (!winograd_chosen(op)) return implicit_gemm(op, program);
  program.only_for("cpu");
  implicit_gemm(op, program);
  program.only_for("gpu");
  winograd_conv(op, program);
  program.only_for("");
}

// One invocation per output element: for each tap, the input pixel whose scattered kernel
// reaches it (oh = ih * sh - pt + r * dh), if any, over all input channels of the group.
const char* kTransposeTap = R"({
  let th = i32(oh) + ${th};
  let tw = i32(ow) + ${tw};
  let ih = th / ${sh};
  let iw = tw / ${sw};
  if ((th >= 0i) & (tw >= 0i) & (th % ${sh} == 0i) & (tw % ${sw} == 0i) & (ih < ${H}) & (iw < ${W})) {
    let xb = (n * ${C} + g * ${Cg}) * ${HW} + u32(ih) * ${Wu} + u32(iw);
    let wb = (g * ${Cg} * ${Mg} + ml) * ${KK} + ${tap};
    for (var c = 0u; c < ${Cg}; c = c + 1u) {
      sum = sum + ${x} * ${w};
    }
  }
}
)";

void conv_transpose(const ir::Operator& op, Program& program) {
  ConvOperands o(op, program);
  Window w = window_of(op);
  int64_t C = o.x.shape()[1], H = o.x.shape()[2], W = o.x.shape()[3];
  const Shape& y = op.outputs[0]->shape;
  int64_t M = y[1], OH = y[2], OW = y[3];
  int64_t G = w.group, Cg = C / G, Mg = M / G;
  std::string taps;
  for (int64_t r = 0; r < w.kh; r++)
    for (int64_t s = 0; s < w.kw; s++)
      taps += fill(kTransposeTap, {{"th", i32(w.pt - r * w.dh)}, {"tw", i32(w.pl - s * w.dw)}, {"sh", i32(w.sh)},
                                   {"sw", i32(w.sw)}, {"H", i32(H)}, {"W", i32(W)}, {"C", u32(C)}, {"Cg", u32(Cg)},
                                   {"HW", u32(H * W)}, {"Wu", u32(W)}, {"Mg", u32(Mg)}, {"KK", u32(w.kh * w.kw)},
                                   {"tap", u32(r * w.kw + s)}, {"x", o.x.get("xb + c * " + u32(H * W))},
                                   {"w", o.w.get("wb + c * " + u32(Mg * w.kh * w.kw))}});
  std::string body = fill(R"(let ow = i % ${OW};
let oh = (i / ${OW}) % ${OH};
let m = (i / ${OHW}) % ${M};
let n = i / ${OHWM};
let g = m / ${Mg};
let ml = m % ${Mg};
var sum = 0.0;
${taps}
${finish}
)", {{"OW", u32(OW)}, {"OH", u32(OH)}, {"OHW", u32(OW * OH)}, {"M", u32(M)}, {"OHWM", u32(OW * OH * M)},
     {"Mg", u32(Mg)}, {"taps", taps}, {"finish", o.finish("i", "m", "sum")}});
  int64_t size = num_elements(y);
  program.dispatch(op, body, size, workgroup_for(size), o.store);
}

}  // namespace

WEBDNN_WGSL_KERNEL(conv, "Conv");
WEBDNN_WGSL_KERNEL(conv_transpose, "ConvTranspose");

}  // namespace webdnn::backends::webgpu
