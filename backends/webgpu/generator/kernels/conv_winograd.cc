// 3x3 convolutions of stride 1 by Winograd's F(2x2, 3x3): each 2x2 block of outputs from a 4x4
// tile of the input in 16 products where the window takes 36 (Lavin and Gray, "Fast Algorithms
// for Convolutional Neural Networks", 2015), as three dispatches:
//   tiles: each 4x4 input tile (zero outside the image) to V = B' d B, stored as 16 matrices
//     V[e] of [C, P] (P: the 2x2 blocks of all images) in the scratch buffer;
//   products: Z[e] = U[e] V[e] for the 16 points e at once, one batched tiled GEMM (gemm.cc);
//   outputs: Y = A' Z A per block, bias and epilogue applied as each output is stored.
// U[e] = G g G' of each 3x3 weight g, [M, C] per point, is 16/9 the size of the weight; the
// weights file keeps the weight as it is (issue 13), and a prepare dispatch transforms it once at
// load into a buffer of the runner's own.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"

#include <algorithm>
#include <cstdlib>

namespace webdnn::backends::webgpu {
namespace {

// U = G g G', G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]: row i of G g, then column j.
const char* kWeights = R"(let g = i * 9u;
${loads}
${rows}
${stores}
)";

// V = B' d B, B' = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]. Invocation i: channel c, block p.
const char* kTiles = R"(let p = i % ${P};
let c = i / ${P};
let n = p / ${TT};
let t = p % ${TT};
let h0 = i32((t / ${TW}) * 2u) - ${pt};
let w0 = i32((t % ${TW}) * 2u) - ${pl};
let xc = (n * ${C} + c) * ${HW};
${loads}
${rows}
${stores}
)";

// Y = A' Z A, A' = [1 1 1 0; 0 1 -1 -1]. Invocation i: output channel m, block p.
const char* kOutputs = R"(let p = i % ${P};
let m = i / ${P};
let n = p / ${TT};
let t = p % ${TT};
let oh = (t / ${TW}) * 2u;
let ow = (t % ${TW}) * 2u;
${loads}
${rows}
let y0 = (n * ${M} + m) * ${OHW} + oh * ${OW} + ow;
${stores}
)";

std::string v(const std::string& p, int i, int j) { return p + std::to_string(i) + std::to_string(j); }

// Statements applying a 1-D transform to the rows (first) or columns of `in` (rows x cols), into
// `out`: `terms[o]` lists (index, sign) pairs and `scale` multiplies every output.
struct Transform {
  std::vector<std::vector<std::pair<int, int>>> terms;
  std::string scale;  // "" or e.g. "0.5"
};
std::string apply(const Transform& f, const std::string& in, const std::string& out, int n, bool along_rows) {
  std::string code;
  for (int o = 0; o < static_cast<int>(f.terms.size()); o++)
    for (int j = 0; j < n; j++) {
      std::string e;
      for (auto [k, sign] : f.terms[o]) {
        std::string x = along_rows ? v(in, k, j) : v(in, j, k);
        e += e.empty() ? (sign < 0 ? "-" + x : x) : (sign < 0 ? " - " : " + ") + x;
      }
      if (!f.scale.empty() && f.terms[o].size() > 1) e = f.scale + " * (" + e + ")";
      code += "let " + (along_rows ? v(out, o, j) : v(out, j, o)) + " = " + e + ";\n";
    }
  return code;
}

const Transform kG{{{{0, 1}}, {{0, 1}, {1, 1}, {2, 1}}, {{0, 1}, {1, -1}, {2, 1}}, {{2, 1}}}, "0.5"};
const Transform kBt{{{{0, 1}, {2, -1}}, {{1, 1}, {2, 1}}, {{2, 1}, {1, -1}}, {{1, 1}, {3, -1}}}, ""};
const Transform kAt{{{{0, 1}, {1, 1}, {2, 1}}, {{1, 1}, {2, -1}, {3, -1}}}, ""};

// Whether Winograd runs this convolution: where it measured faster inside the models on an H100
// (bench/gpu/run.mjs profiles, each convolution's three dispatches against its implicit GEMM).
// The transforms cost in proportion to C + M, the products saved to C * M, so the fewer the
// channels the larger the image it needs: VGG16's convolutions all gain (224x224 64 -> 64 223 ->
// 160 us, 112x112 128 -> 128 210 -> 130, 56x56 256 -> 256 272 -> 134, 28x28 512 -> 512 388 -> 147,
// 14x14 512 -> 512 130 -> 72), and ResNet50's of 256 and 512 channels (14x14 55 -> 45 us, 7x7 86 ->
// 71), but not its 56x56 of 64 channels (38 -> 39-42 us) nor its 28x28 of 128 (40 -> 39-43).
// WEBDNN_WEBGPU_WINOGRAD=0 or 1 turns it off or on for every convolution it can run (for measuring
// on a GPU; read at conversion).
bool chosen(int64_t C, int64_t M, int64_t OH, int64_t OW) {
  static const int forced = [] {
    const char* env = std::getenv("WEBDNN_WEBGPU_WINOGRAD");
    return env && *env ? std::atoi(env) : -1;
  }();
  if (forced >= 0) return forced == 1;
  const int64_t channels = std::min(C, M), pixels = OH * OW;
  return channels >= 256 || (channels >= 128 && pixels >= 56 * 56) || (channels >= 64 && pixels >= 112 * 112);
}

}  // namespace

bool winograd_chosen(const ir::Operator& op) {
  const params::Conv p = params::Conv::parse(op.params);
  const params::Window& w = p.window;
  const ir::Variable *x = op.inputs[0], *weight = op.inputs[1], *y = op.outputs[0];
  if (p.group != 1 || x->shape.size() != 4 || w.kernel[0] != 3 || w.kernel[1] != 3 || w.strides[0] != 1 ||
      w.strides[1] != 1 || w.dilations[0] != 1 || w.dilations[1] != 1 || !weight->is_constant())
    return false;
  const int64_t N = x->shape[0], C = x->shape[1], M = y->shape[1], OH = y->shape[2], OW = y->shape[3];
  const int64_t P = N * ceil_div(OH, 2) * ceil_div(OW, 2);
  // The two scratch matrices must fit the binding limit together.
  return (16 * C * P + 16 * M * P + 64) * 4 <= max_binding() && chosen(C, M, OH, OW);
}

void winograd_conv(const ir::Operator& op, Program& program) {
  const params::Window w = params::Conv::parse(op.params).window;
  const ir::Variable *x = op.inputs[0], *weight = op.inputs[1], *y = op.outputs[0];
  const int64_t N = x->shape[0], C = x->shape[1], H = x->shape[2], W = x->shape[3];
  const int64_t M = y->shape[1], OH = y->shape[2], OW = y->shape[3];
  const int64_t TH = ceil_div(OH, 2), TW = ceil_div(OW, 2), P = N * TH * TW;

  const ir::Variable* u = program.prepared({16, M, C});
  {
    Operand wo = program.input("w", weight), uo = program.output("u", u);
    std::string loads, stores;
    for (int r = 0; r < 3; r++)
      for (int s = 0; s < 3; s++) loads += "let " + v("g", r, s) + " = " + wo.get("g + " + u32(r * 3 + s)) + ";\n";
    for (int e = 0; e < 16; e++) stores += uo.set(u32(e * M * C) + " + i", v("gu", e / 4, e % 4)) + "\n";
    program.prepare(op, fill(kWeights, {{"loads", loads}, {"rows", apply(kG, "g", "ga", 3, true) + apply(kG, "ga", "gu", 4, false)},
                                        {"stores", stores}}),
                    M * C, workgroup_for(M * C));
  }
  const std::vector<const ir::Variable*> s = program.scratch({{16, C, P}, {16, M, P}});
  const std::string TT = u32(TH * TW);
  {
    Operand xo = program.input("x", x), vo = program.output("v", s[0]);
    std::string loads, stores;
    for (int r = 0; r < 4; r++)
      for (int q = 0; q < 4; q++)
        loads += fill("let ${d} = pixel(xc, h0 + ${r}, w0 + ${q});\n", {{"d", v("d", r, q)}, {"r", i32(r)}, {"q", i32(q)}});
    for (int e = 0; e < 16; e++) stores += vo.set(u32(e * C * P) + " + i", v("dv", e / 4, e % 4)) + "\n";
    std::string pixel = fill(R"(fn pixel(xc: u32, h: i32, v: i32) -> f32 {
  let x = ${x};
  return select(0.0, x, (h >= 0i) & (h < ${H}) & (v >= 0i) & (v < ${W}));
}
)", {{"x", xo.get("xc + u32(clamp(h, 0i, " + i32(H - 1) + ")) * " + u32(W) + " + u32(clamp(v, 0i, " + i32(W - 1) + "))")},
     {"H", i32(H)}, {"W", i32(W)}});
    program.dispatch(op, fill(kTiles, {{"P", u32(P)}, {"TT", TT}, {"TW", u32(TW)}, {"pt", i32(w.pads[0])},
                                       {"pl", i32(w.pads[1])}, {"C", u32(C)}, {"HW", u32(H * W)}, {"loads", loads},
                                       {"rows", apply(kBt, "d", "db", 4, true) + apply(kBt, "db", "dv", 4, false)},
                                       {"stores", stores}}),
                     C * P, workgroup_for(C * P), pixel);
  }
  {
    Operand uo = program.input("u", u), vo = program.input("v", s[0]), zo = program.output("z", s[1]);
    GemmSpec g;
    g.batch = 16, g.M = M, g.N = P, g.K = C;
    g.a = [=](const std::string& b, const std::string& m, const std::string& k) {
      return uo.get(b + " * " + u32(M * C) + " + " + m + " * " + u32(C) + " + " + k);
    };
    g.b = [=](const std::string& b, const std::string& k, const std::string& n) {
      return vo.get(b + " * " + u32(C * P) + " + " + k + " * " + u32(P) + " + " + n);
    };
    g.store = [=](const std::string& b, const std::string& m, const std::string& n, const std::string& val) {
      return zo.set("(" + b + " * " + u32(M) + " + " + m + ") * " + u32(P) + " + " + n, val);
    };
    gemm(op, program, g);
  }
  {
    Operand zo = program.input("z", s[1]), bias;
    if (op.input(2)) bias = program.input("bias", op.inputs[2]);
    std::string store = store_function(op, 3, program);
    std::string loads, stores;
    for (int e = 0; e < 16; e++) loads += "let " + v("z", e / 4, e % 4) + " = " + zo.get(u32(e * M * P) + " + i") + ";\n";
    for (int a = 0; a < 2; a++)
      for (int b = 0; b < 2; b++) {
        std::string value = v("zy", a, b) + (bias.variable ? " + " + bias.get("m") : "");
        std::string inside = "(oh + " + u32(a) + " < " + u32(OH) + ") & (ow + " + u32(b) + " < " + u32(OW) + ")";
        std::string at = "y0 + " + u32(a * OW + b);
        // Odd output sizes: the last blocks are partial.
        stores += (OH % 2 || OW % 2) ? "if (" + inside + ") { store_y(" + at + ", " + value + "); }\n"
                                     : "store_y(" + at + ", " + value + ");\n";
      }
    program.dispatch(op, fill(kOutputs, {{"P", u32(P)}, {"TT", TT}, {"TW", u32(TW)}, {"M", u32(M)}, {"OHW", u32(OH * OW)},
                                         {"OW", u32(OW)}, {"loads", loads},
                                         {"rows", apply(kAt, "z", "zs", 4, true) + apply(kAt, "zs", "zy", 2, false)},
                                         {"stores", stores}}),
                     M * P, workgroup_for(M * P), store);
  }
}

}  // namespace webdnn::backends::webgpu
