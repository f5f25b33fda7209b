// A QDQ model's Conv, MatMul and Gemm by a constant weight in integers, where the rule
// record_integer_grid knows their grids (params::IntegerGrid): exact int32 sums of int8 x int8, as
// onnxruntime computes them, on the tiler of gemm.cc with packed operands (GemmSpec::packed).
//   Weights: their multiples of each output channel's scale, int8, four along the depth in a u32,
//     packed at load by a prepare dispatch from a table of the multiples as floats: small whole
//     numbers, which the weights file codes compactly, where packed words would be arbitrary bit
//     patterns (NaNs among them) to every step that handles the weights as floats.
//   Activations: read as floats, turned into their multiples a of x_scale, offset into int8
//     (a + o, o = -128 - x_min: a uint8 activation of zero point z has multiples in [-z, 255 - z])
//     and packed four to a u32 as the tiles are staged. sum(a * w) = sum((a + o) * w) - o * sum(w),
//     sum(w) per channel computed here.
//   The sum is finished in floats as the float kernels finish theirs: times x_scale * the
//     channel's scale (alpha included), plus the bias, then the operator's epilogue.
// Convolutions order their depth by window tap, then by input channel (padded to fours), so that
// one word is four channels of one pixel: its position and bounds are worked out once.
// Anything else keeps the float kernels: a weight off its grid or beyond int8 (a weight zero
// point), an activation range wider than 256, sums that could pass int32, grouped convolutions,
// a bias that is not a constant per channel.
#include <cmath>
#include <cstdlib>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::backends::webgpu {
namespace {

// The integer form of a product by a weight of M channels, its depth padded to K4 words (`w`,
// M x K4 * 4 floats, zero in the padding), K the depth it had; M == 0 where it does not fit.
struct Plan {
  int64_t M = 0, K4 = 0, offset = 0;
  std::vector<float> multiples;  // as `w`
  std::vector<float> channels;   // [scale x M, sum(w) x M, bias x M]
  float inv_scale = 0;
};

// WEBDNN_WEBGPU_INTEGER=0 keeps every product in floats (for comparing); read at conversion.
bool integer_enabled() {
  const char* env = std::getenv("WEBDNN_WEBGPU_INTEGER");
  return !env || std::string(env) != "0";
}

Plan plan(const params::IntegerGrid& grid, double alpha, int64_t M, int64_t K, int64_t K4, const std::vector<double>& w,
          const std::vector<float>& bias) {
  if (!integer_enabled() || grid.x_scale <= 0 || !grid.has_range() || grid.x_max - grid.x_min > 255 ||
      static_cast<int64_t>(grid.w_scales.size()) != M)
    return {};
  Plan p;
  p.M = M, p.K4 = K4, p.offset = -128 - grid.x_min;
  p.multiples.assign(w.size(), 0.0f);
  p.channels.assign(static_cast<size_t>(3 * M), 0.0f);
  int64_t largest = 0;
  for (int64_t m = 0; m < M; m++) {
    const double scale = grid.w_scales[static_cast<size_t>(m)];
    int64_t sum = 0;
    for (int64_t j = 0; j < K4 * 4; j++) {
      const double v = w[static_cast<size_t>(m * K4 * 4 + j)], n = std::nearbyint(v / scale);
      if (n < -128 || n > 127 || std::abs(n * scale - v) > 1e-5 * std::abs(v)) return {};
      largest = std::max(largest, static_cast<int64_t>(std::abs(n)));
      sum += static_cast<int64_t>(n);
      p.multiples[static_cast<size_t>(m * K4 * 4 + j)] = static_cast<float>(n);
    }
    p.channels[static_cast<size_t>(m)] = static_cast<float>(grid.x_scale * scale * alpha);
    p.channels[static_cast<size_t>(M + m)] = static_cast<float>(sum);
    p.channels[static_cast<size_t>(2 * M + m)] = bias.empty() ? 0.0f : bias[static_cast<size_t>(m)];
  }
  // The true sums must fit int32 (the offset's terms wrap and cancel), sum(w) a float exactly.
  const int64_t x_largest = std::max(std::abs(grid.x_min), std::abs(grid.x_max));
  if (K * x_largest * largest >= (int64_t{1} << 31) || K * 128 >= (int64_t{1} << 24)) return {};
  p.inv_scale = 1.0f / static_cast<float>(grid.x_scale);
  return p;
}

// Four floats as their multiples of x_scale, offset into int8, a byte each of a u32.
const char* kPackX = R"(fn pack_x(v: vec4<f32>) -> u32 {
  let q = clamp(vec4<i32>(round(v * ${inv_scale})) + vec4<i32>(${offset}), vec4<i32>(-128i), vec4<i32>(127i));
  let b = bitcast<vec4<u32>>(q) & vec4<u32>(255u);
  return b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u);
}
)";

// Packs four weight multiples (a table of floats) into a word, once at load.
const char* kPackW = R"(let v = vec4<i32>(i32(${w0}), i32(${w1}), i32(${w2}), i32(${w3}));
let b = bitcast<vec4<u32>>(v) & vec4<u32>(255u);
${store}
)";

// The prepare dispatch that packs the weight: the prepared variable of its words.
const ir::Variable* pack_weights(const ir::Operator& op, Program& program, const Plan& p) {
  const ir::Variable* packed = program.prepared({p.M * p.K4});
  Operand t = program.input("t", program.table(p.multiples)), w = program.output("wq", packed);
  const std::string word = "bitcast<f32>(b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u))";
  program.prepare(op, fill(kPackW, {{"w0", t.get("i * 4u")}, {"w1", t.get("i * 4u + 1u")}, {"w2", t.get("i * 4u + 2u")},
                                    {"w3", t.get("i * 4u + 3u")}, {"store", w.set("i", word)}}),
                  p.M * p.K4, workgroup_for(p.M * p.K4));
  return packed;
}

// The float value of channel `m`'s i32 sum `x`: the offset's share taken out, scaled, biased.
std::string finish(const Plan& p, const Operand& ch, const std::string& m, const std::string& x) {
  const std::string share = i32(std::abs(p.offset)) + " * i32(" + ch.get(u32(p.M) + " + " + m) + ")";
  const std::string sum = p.offset ? "(" + x + (p.offset > 0 ? " - " : " + ") + share + ")" : x;
  return "f32(" + sum + ") * " + ch.get(m) + " + " + ch.get(u32(2 * p.M) + " + " + m);
}

std::string pack_function(const Plan& p) { return fill(kPackX, {{"inv_scale", f32(p.inv_scale)}, {"offset", i32(p.offset)}}); }

// The four values from `first` on, `step` apart, past `count` of them read as zero.
std::string four(const Operand& x, const std::string& first, const std::string& c, int64_t count, int64_t step) {
  std::string v;
  for (int l = 0; l < 4; l++) {
    const std::string at = "(" + c + " + " + u32(l) + ")";
    if (count % 4 == 0) v += (l ? ", " : "") + x.get(first + " + " + at + " * " + u32(step));
    else
      v += (l ? ", " : "") + std::string("select(0.0, ") + x.get(first + " + min(" + at + ", " + u32(count - 1) + ") * " + u32(step)) +
           ", " + at + " < " + u32(count) + ")";
  }
  return "vec4<f32>(" + v + ")";
}

// Word j of the patch of output pixel p: channels c..c+3 of window tap t (j = t * C4 + c / 4),
// zero outside the image.
const char* kLoadWord = R"(fn load_x(bt: u32, j: u32, p: u32) -> u32 {
  let t = j / ${C4};
  let c = (j % ${C4}) * 4u;
  let ih = i32((p / ${OW}) * ${sh} + (t / ${kw}) * ${dh}) - ${pt};
  let iw = i32((p % ${OW}) * ${sw} + (t % ${kw}) * ${dw}) - ${pl};
  let inside = (ih >= 0i) & (ih < ${H}) & (iw >= 0i) & (iw < ${W});
  let at = ${image} + u32(clamp(ih, 0i, ${last_h})) * ${Wu} + u32(clamp(iw, 0i, ${last_w}));
  return pack_x(select(vec4<f32>(0.0), ${values}, inside));
}
)";
// 1x1 without stride or padding: word j is channels 4j..4j+3 of pixel p.
const char* kLoadWordPointwise = R"(fn load_x(bt: u32, j: u32, p: u32) -> u32 {
  let c = j * 4u;
  let at = ${image} + p;
  return pack_x(${values});
}
)";

bool conv(const ir::Operator& op, Program& program) {
  const params::Conv c = params::Conv::parse(op.params);
  const ir::Variable *x = op.inputs[0], *weight = op.inputs[1], *bias = op.input(2), *y = op.outputs[0];
  if (c.group != 1 || !c.grid.has_range() || !weight->is_constant() || (bias && !bias->is_constant())) return false;
  const params::Window& w = c.window;
  const int64_t N = x->shape[0], C = x->shape[1], H = x->shape[2], W = x->shape[3];
  const int64_t M = y->shape[1], OH = y->shape[2], OW = y->shape[3], kh = w.kernel[0], kw = w.kernel[1], KK = kh * kw;
  const int64_t C4 = ceil_div(C, 4), K4 = KK * C4, P = OH * OW;
  const Tensor wt = weight->logical_data();
  std::vector<double> padded(static_cast<size_t>(M * K4 * 4), 0.0);
  for (int64_t m = 0; m < M; m++)
    for (int64_t t = 0; t < KK; t++)
      for (int64_t ch = 0; ch < C; ch++)
        padded[static_cast<size_t>((m * KK + t) * C4 * 4 + ch)] = wt.as_double((m * C + ch) * KK + t);
  const Plan p = plan(c.grid, 1.0, M, C * KK, K4, padded, bias ? bias->logical_data().to_floats() : std::vector<float>{});
  if (p.M == 0) return false;

  const ir::Variable* packed = pack_weights(op, program, p);
  Operand xo = program.input("x", x), wq = program.input("wq", packed), ch = program.input("ch", program.table(p.channels));
  GemmSpec s;
  s.packed = true;
  s.batch = N, s.M = M, s.N = P, s.K = K4;
  s.a = [=](const std::string&, const std::string& m, const std::string& j) {
    return "bitcast<u32>(" + wq.get(m + " * " + u32(K4) + " + " + j) + ")";
  };
  s.b = [](const std::string& bt, const std::string& j, const std::string& n) { return "load_x(" + bt + ", " + j + ", " + n + ")"; };
  s.store = [=](const std::string& bt, const std::string& m, const std::string& n, const std::string& v) {
    return "store_y((" + bt + " * " + u32(M) + " + " + m + ") * " + u32(P) + " + " + n + ", " + finish(p, ch, m, v) + ");";
  };
  const std::string image = "bt * " + u32(C * H * W), values = four(xo, "at", "c", C, H * W);
  const bool pointwise = KK == 1 && w.strides[0] == 1 && w.strides[1] == 1 && w.pads[0] == 0 && w.pads[1] == 0 && OH == H && OW == W;
  s.operand_functions = pack_function(p) +
      (pointwise ? fill(kLoadWordPointwise, {{"image", image}, {"values", values}})
                 : fill(kLoadWord, {{"C4", u32(C4)}, {"OW", u32(OW)}, {"sh", u32(w.strides[0])}, {"kw", u32(kw)},
                                    {"dh", u32(w.dilations[0])}, {"pt", i32(w.pads[0])}, {"sw", u32(w.strides[1])},
                                    {"dw", u32(w.dilations[1])}, {"pl", i32(w.pads[1])}, {"H", i32(H)}, {"W", i32(W)},
                                    {"image", image}, {"last_h", i32(H - 1)}, {"Wu", u32(W)}, {"last_w", i32(W - 1)},
                                    {"values", values}}));
  s.extra = store_function(op, 3, program);
  gemm(op, program, s);
  return true;
}

// MatMul by a constant [K, N] and Gemm by a constant B (transA 0, C a constant per column or
// none): A's rows (any batch axes folded in) times the weight's columns.
const char* kLoadRow = R"(fn load_a(m: u32, j: u32) -> u32 {
  let c = j * 4u;
  let at = m * ${K};
  return pack_x(${values});
}
)";

bool matmul(const ir::Operator& op, Program& program) {
  const bool is_gemm = op.type == "Gemm";
  const ir::Variable *a = op.inputs[0], *b = op.inputs[1], *c = is_gemm ? op.input(2) : nullptr, *y = op.outputs[0];
  params::Gemm g = is_gemm ? params::Gemm::parse(op.params) : params::Gemm{1, 1, false, false, {}, params::MatMul::parse(op.params).grid};
  if (!g.grid.has_range() || g.trans_a || !b->is_constant() || b->rank() != 2 || a->rank() < 1) return false;
  const int64_t K = b->shape[g.trans_b ? 1 : 0], N = b->shape[g.trans_b ? 0 : 1], rows = a->size() / std::max<int64_t>(K, 1);
  if (K == 0 || a->shape.back() != K || y->size() != rows * N) return false;
  std::vector<float> bias;
  if (c && g.beta != 0) {
    if (!c->is_constant() || (c->size() != N && c->size() != 1) || (c->rank() == 2 && c->shape[0] != 1)) return false;
    const std::vector<float> cv = c->logical_data().to_floats();
    for (int64_t n = 0; n < N; n++) bias.push_back(static_cast<float>(g.beta * cv[static_cast<size_t>(cv.size() == 1 ? 0 : n)]));
  }
  const int64_t K4 = ceil_div(K, 4);
  const Tensor wt = b->logical_data();
  std::vector<double> padded(static_cast<size_t>(N * K4 * 4), 0.0);
  for (int64_t n = 0; n < N; n++)
    for (int64_t k = 0; k < K; k++) padded[static_cast<size_t>(n * K4 * 4 + k)] = wt.as_double(g.trans_b ? n * K + k : k * N + n);
  const Plan p = plan(g.grid, g.alpha, N, K, K4, padded, bias);
  if (p.M == 0) return false;

  const ir::Variable* packed = pack_weights(op, program, p);
  Operand ao = program.input("a", a), wq = program.input("wq", packed), ch = program.input("ch", program.table(p.channels));
  GemmSpec s;
  s.packed = true;
  s.M = rows, s.N = N, s.K = K4;
  s.a = [](const std::string&, const std::string& m, const std::string& j) { return "load_a(" + m + ", " + j + ")"; };
  s.b = [=](const std::string&, const std::string& j, const std::string& n) {
    return "bitcast<u32>(" + wq.get(n + " * " + u32(K4) + " + " + j) + ")";
  };
  s.b_n_contiguous = false;
  s.store = [=](const std::string&, const std::string& m, const std::string& n, const std::string& v) {
    return "store_y(" + m + " * " + u32(N) + " + " + n + ", " + finish(p, ch, n, v) + ");";
  };
  s.operand_functions = pack_function(p) + fill(kLoadRow, {{"K", u32(K)}, {"values", four(ao, "at", "c", K, 1)}});
  s.extra = store_function(op, is_gemm ? 3 : 2, program);
  gemm(op, program, s);
  return true;
}

}  // namespace

bool integer_product(const ir::Operator& op, Program& program) {
  if (op.type == "Conv") return conv(op, program);
  if (op.type == "MatMul" || op.type == "Gemm") return matmul(op, program);
  return false;
}

}  // namespace webdnn::backends::webgpu
