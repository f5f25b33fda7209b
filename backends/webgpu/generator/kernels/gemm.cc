// The matrix product (GemmSpec, see kernels.h) and the operators that are one: MatMul (batched,
// broadcast batch axes, vectors) and Gemm (transposes, alpha, beta, C), each output finished
// through the operator's epilogue. Every product gets two kernels, the runner picking one for its
// adapter:
//   GPU: BM x BN blocks per workgroup staged through workgroup memory BK deep, a register block
//     per invocation (a single row, as in fully connected layers at batch 1: a workgroup per 4
//     columns whose invocations split the depth and add up in workgroup memory).
//   CPU (SwiftShader): no workgroup memory and no barriers; each invocation reads its rows and
//     columns straight from the buffers into a register block of up to 8 x 8.
#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/params.h"
#include "webdnn/error.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

namespace webdnn::backends::webgpu {
namespace {

// A workgroup of wm x wn invocations, each with a tm x tn register block; GPU kernels stage
// bk-deep slices in workgroup memory. With `vec` (tm and tn multiples of 4) an invocation's rows
// and columns come in fours, read from workgroup memory as vec4s: a quarter of the loads.
struct Tiles {
  int wm, wn, tm, tn, bk;
  bool vec = false;
  // GPU: slices of the workgroup that take turns over K (each with its own staging), their sums
  // added at the end: more invocations per block where blocks are few.
  int ks = 1;
};

// WEBDNN_WEBGPU_TILES="wm,wn,tm,tn,bk[,vec[,ks]]" replaces the tiles of the products that are not thin, for
// measuring other tiles on a GPU (bench/gpu/sweep.mjs) without rebuilding; read at conversion.
std::optional<Tiles> tiles_from_env() {
  static const std::optional<Tiles> tiles = []() -> std::optional<Tiles> {
    const char* env = std::getenv("WEBDNN_WEBGPU_TILES");
    if (!env || !*env) return std::nullopt;
    Tiles t{};
    int vec = 0;
    char end = 0;
    int n = std::sscanf(env, "%d,%d,%d,%d,%d,%d,%d%c", &t.wm, &t.wn, &t.tm, &t.tn, &t.bk, &vec, &t.ks, &end);
    t.vec = vec != 0;
    WEBDNN_CHECK((n == 5 || n == 6 || n == 7) && t.wm > 0 && t.wn > 0 && t.tm > 0 && t.tn > 0 && t.bk > 0 && t.ks > 0 &&
                     t.wm * t.wn * t.ks <= 256 && (!t.vec || (t.tm % 4 == 0 && t.tn % 4 == 0)),
                 "WEBDNN_WEBGPU_TILES takes wm,wn,tm,tn,bk[,vec[,ks]] (whole numbers, wm * wn * ks <= 256; with vec 1, tm "
                 "and tn multiples of 4), not '" + std::string(env) + "'");
    return t;
  }();
  return tiles;
}

// GPU: the tiles that measured fastest on an H100, inside the models (bench/gpu/run.mjs profiles of
// ResNet50, VGG16, MobileNetV2, SqueezeNet, Whisper, BERT and ViT; one-product timings of
// bench/gpu/sweep.mjs ranked some settings differently, so the models decided). What matters is
// how many workgroups a product makes (batch included) against the GPU's 132 multiprocessors, and
// how deep each one's loop over K is.
Tiles gpu_tiles(int64_t batch, int64_t M, int64_t N, int64_t K) {
  auto blocks = [&](int64_t bm, int64_t bn) { return batch * ceil_div(M, bm) * ceil_div(N, bn); };
  Tiles t{8, 8, 4, 4, 16};
  if (M > 16 && N > 32 && tiles_from_env()) t = *tiles_from_env();
  else if (N <= 16) t = {16, 4, 4, 4, 16};
  else if (M <= 16) t = {4, 16, 4, 4, 16};
  else if (N <= 32) t = {16, 8, 4, 4, 16};
  // The largest products: 64 x 64 blocks, 256 invocations reading vec4s from workgroup memory
  // (VGG16's first five convolutions, Whisper's MLP expansion and attention scores).
  else if (blocks(64, 64) >= 300) t = {16, 16, 4, 4, 16, true};
  // Fewer, but enough 32 x 64 blocks to fill the GPU: twice the workgroups of 64 x 64 blocks
  // (VGG16's 28 x 28 convolutions 512 -> 390 us, Whisper's attention x values 223 -> 178 us and MLP
  // reduction 187 -> 148 us, ViT's MLP expansion 105 -> 82 us).
  else if (blocks(32, 64) >= 128) t = {8, 16, 4, 4, 16, true};
  // Deep products of many weight rows with few blocks: 16 x 32 blocks whose four slices of the
  // workgroup take turns over K (VGG16's 14 x 14 convolutions 165 -> 130 us, ResNet50's 1x1 ones
  // of 512+ channels in layer4 ~15% faster). Slower than the next on fewer rows (ViT, ResNet50's
  // 3x3 convolutions of up to 256 channels: 5-15%).
  else if (M >= 512 && K >= 1024 && blocks(16, 32) >= 100) t = {4, 8, 4, 4, 16, true, 4};
  // The rest but the shallowest: 16 x 16 blocks in four slices, the most workgroups (ResNet50's
  // 7 x 7 3x3 convolution: 65 us against 245 with 32 x 64 blocks; MobileNetV2's and SqueezeNet's
  // convolutions past their first stages and BERT-tiny's products 1.3-2x faster than 32 x 32).
  else if (K >= 64) t = {8, 8, 2, 2, 16, false, 4};
  if (K < 16) t.bk = static_cast<int>(round_up(K, 4));
  return t;
}

// CPU: on SwiftShader every load from a buffer is a gather costing several multiply-adds, so the
// register block decides: a tm x tn block loads tm + tn values per tm * tn multiply-adds.
// Measured (cpu time per multiply-add and invocation, loads included): 8x8 0.9 ns, 4x8 1.3 ns,
// 4x4 1.6 ns; 16x8 and 16x16 no better than 8x8 (their accumulators no longer fit in
// registers). Chosen: the block and workgroup that waste the fewest padded rows and columns at
// that cost, with at least 32 invocations per workgroup where the output has that many blocks.
Tiles cpu_tiles(int64_t M, int64_t N) {
  auto cost = [](int tm, int tn) { return 3.6 * (tm + tn) / (tm * tn) + 0.45; };
  Tiles best{1, 1, 1, 1, 0};
  double best_score = 1e300;
  for (int tm : {8, 4, 2, 1}) {
    if (tm > 1 && tm / 2 >= M) continue;
    for (int tn = 8; tn >= 1; tn--) {
      if (tn > 1 && tn / 2 >= N) continue;
      for (int wm = 1; wm <= 16; wm++)
        for (int wn = 1; wn <= 16; wn++) {
          int threads = wm * wn;
          int64_t blocks = ceil_div(M, tm) * ceil_div(N, tn);
          if (threads > 256 || threads > round_up(blocks, 4) || (threads < 32 && blocks >= 32)) continue;
          if (threads % 4 && threads < blocks) continue;  // SwiftShader runs invocations in fours
          int64_t pm = round_up(M, int64_t{wm} * tm), pn = round_up(N, int64_t{wn} * tn);
          double score = static_cast<double>(pm) * static_cast<double>(pn) * cost(tm, tn);
          if (score < best_score * 0.999) best_score = score, best = {wm, wn, tm, tn, 0};
        }
    }
  }
  return best;
}

std::string acc(int r, int c) { return "acc" + std::to_string(r) + "_" + std::to_string(c); }

// Statements over a register block: `line(r, q)` for every row r < tm and column q < tn.
template <class F>
std::string each(int tm, int tn, F line) {
  std::string s;
  for (int r = 0; r < tm; r++)
    for (int q = 0; q < tn; q++) s += line(r, q);
  return s;
}

std::string accumulators(const Tiles& t, bool packed) {
  return each(t.tm, t.tn, [&](int r, int q) { return "var " + acc(r, q) + (packed ? " = 0i;\n" : " = 0.0;\n"); });
}

// The type of the sums, and the product of two operands.
const char* sum_type(const GemmSpec& s) { return s.packed ? "i32" : "f32"; }
std::string product(const GemmSpec& s, const std::string& a, const std::string& b) {
  return s.packed ? "dot4(" + a + ", " + b + ")" : a + " * " + b;
}


// Whether output (m, n) of a block lies inside the product: "" where every one of every block does.
std::string inside(const GemmSpec& s, const Tiles& t) {
  std::string cond;
  if (s.M % (t.wm * t.tm) != 0) cond = "(m < " + u32(s.M) + ")";
  if (s.N % (t.wn * t.tn) != 0) cond += (cond.empty() ? "" : " & ") + std::string("(n < ") + u32(s.N) + ")";
  return cond;
}

// The statements that store a block's outputs, skipping those past the edges: row(r) for r < tm,
// col(q) for q < tn.
template <class Row, class Col>
std::string store_block(const GemmSpec& s, const Tiles& t, Row row, Col col) {
  const std::string cond = inside(s, t);
  std::string out;
  for (int r = 0; r < t.tm; r++) {
    std::string cols;
    for (int q = 0; q < t.tn; q++) {
      std::string store = s.store("bt", "m", "n", acc(r, q));
      if (!cond.empty()) store = "if (" + cond + ") {\n  " + store + "\n}";
      cols += fill(R"({
  let n = ${col};
  ${store}
}
)", {{"col", col(q)}, {"store", store}});
    }
    out += fill(R"({
  let m = ${row};
  ${cols}
}
)", {{"row", row(r)}, {"cols", cols}});
  }
  return out;
}

// CPU: the same stores as a loop over the accumulators gathered in an array. SwiftShader compiles
// each unrolled store with the fused epilogue inlined into it, and those copies took most of a
// pipeline's compile time (MobileNetV2's pointwise convolutions, 8 x 8 blocks: 420-510 ms a
// pipeline, ~100 ms with the loop). The loop runs once per invocation, after the multiply-adds.
std::string store_loop(const GemmSpec& s, const Tiles& t) {
  const std::string cond = inside(s, t);
  std::string all;
  for (int i = 0; i < t.tm * t.tn; i++) all += (i ? ", " : "") + acc(i / t.tn, i % t.tn);
  std::string store = s.store("bt", "m", "n", "accs[r * " + u32(t.tn) + " + q]");
  if (!cond.empty()) store = "if (" + cond + ") {\n  " + store + "\n}";
  return fill(R"(var accs = array<${type}, ${count}>(${all});
for (var r = 0u; r < ${TM}; r = r + 1u) {
  let m = m0 + r;
  for (var q = 0u; q < ${TN}; q = q + 1u) {
    let n = n0 + q * ${WN};
    ${store}
  }
}
)", {{"type", sum_type(s)}, {"count", std::to_string(t.tm * t.tn)}, {"all", all}, {"TM", u32(t.tm)}, {"TN", u32(t.tn)}, {"WN", u32(t.wn)},
      {"store", store}});
}

// CPU: each invocation a tm x tn block of outputs, its operands read straight from the buffers.
const char* kDirect = R"(${extra}
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * ${BM} + (lid / ${WN}) * ${TM};
  let n0 = wid.x * ${BN} + lid % ${WN};
  ${rows}
  ${cols}
  ${accumulators}
  ${accumulate}
  ${store}
}
)";

// The plain accumulation of the direct kernel: a row of A and a column of B per step of k.
const char* kDirectLoop = R"(for (var k = 0u; k < ${K}; k = k + 1u) {
  ${load_a}
  ${load_b}
  ${multiply_add}
}
)";

Program::Variant direct(const GemmSpec& s) {
  Tiles t = cpu_tiles(s.M, s.N);
  const int T = t.wm * t.wn, BM = t.wm * t.tm, BN = t.wn * t.tn;
  const bool edge_m = s.M % BM != 0, edge_n = s.N % BN != 0;
  // Rows and columns past the edges read the last one (their results are not stored).
  std::string rows, cols, load_a, load_b;
  for (int r = 0; r < t.tm; r++) {
    std::string at = "m0 + " + u32(r);
    rows += "let am" + std::to_string(r) + " = " + (edge_m ? "min(" + at + ", " + u32(s.M - 1) + ")" : at) + ";\n";
    load_a += "let a" + std::to_string(r) + " = " + s.a("bt", "am" + std::to_string(r), "k") + ";\n";
  }
  for (int q = 0; q < t.tn; q++) {
    std::string at = "n0 + " + u32(q * t.wn);
    cols += "let bn" + std::to_string(q) + " = " + (edge_n ? "min(" + at + ", " + u32(s.N - 1) + ")" : at) + ";\n";
    load_b += "let b" + std::to_string(q) + " = " + s.b("bt", "k", "bn" + std::to_string(q)) + ";\n";
  }
  std::string accumulate = s.cpu_loop ? s.cpu_loop(t.tm, t.tn)
                                      : fill(kDirectLoop, {{"K", u32(s.K)}, {"load_a", load_a}, {"load_b", load_b},
                                                           {"multiply_add", multiply_add(t.tm, t.tn, s.packed)}});
  std::string code = fill(kDirect, {{"extra", (s.cpu_loop ? "" : s.operand_functions) + s.extra}, {"threads", std::to_string(T)}, {"BM", u32(BM)}, {"BN", u32(BN)},
                                    {"WN", u32(t.wn)}, {"TM", u32(t.tm)}, {"rows", rows}, {"cols", cols},
                                    {"accumulators", accumulators(t, s.packed)}, {"accumulate", accumulate},
                                    {"store", store_loop(s, t)}});
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.M, BM) <= 65535 && ceil_div(s.N, BN) <= 65535, "product too large to dispatch");
  return {code, {ceil_div(s.N, BN), ceil_div(s.M, BM), s.batch}};
}

// GPU, a single row: a workgroup of 256 per few columns whose invocations (lanes) split the
// depth and add up their parts in workgroup memory. Neighbouring invocations read neighbouring
// elements of B: 64 or 256 lanes along a column where B's depth is contiguous (a Gemm's transposed
// weight; gemv_cols_along_k), else 32 columns of 8 lanes. A row is all memory traffic (VGG16's
// 411 MB classifier weight): 64 invocations per 4 columns, 16 lanes each, read it at 150 GB/s on
// an H100, 256 at 730 GB/s, each lane waiting for one load per step. Four sums over interleaved
// steps keep four loads in flight per lane: 1.7 TB/s, and 2.3 TB/s with 256 lanes per column.
const char* kGemv = R"(${extra}
var<workgroup> part: array<${type}, ${threads}>;
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let col = wid.x * ${cols} + ${column};
  let lane = ${lane};
  let n = min(col, ${last_col});
  var s0 = ${zero};
  var s1 = ${zero};
  var s2 = ${zero};
  var s3 = ${zero};
  var k = lane;
  for (; k + ${three_steps} < ${K}; k = k + ${four_steps}) {
    let k1 = k + ${lanes};
    let k2 = k + ${two_steps};
    let k3 = k + ${three_steps};
    s0 = s0 + ${p0};
    s1 = s1 + ${p1};
    s2 = s2 + ${p2};
    s3 = s3 + ${p3};
  }
  for (; k < ${K}; k = k + ${lanes}) {
    s0 = s0 + ${p0};
  }
  part[lid] = (s0 + s1) + (s2 + s3);
  workgroupBarrier();
  ${tree}
  if ((lane == 0u) & (col < ${N})) {
    ${store}
  }
}
)";

// WEBDNN_WEBGPU_GEMV_COLS=c replaces the columns per workgroup where B's depth is contiguous, for
// measuring others on a GPU (bench/gpu/sweep.mjs "gemv=c"); read at conversion. Chosen (H100):
// one column of 256 lanes on deep products, four times the workgroups of four columns and as many
// loads in flight per lane (VGG16's classifier: 25088 x 1024 61 -> 44 us, 4096 x 4096 and 4096 x
// 1000 unchanged); four columns of 64 lanes on shallow ones, where 256 lanes would mostly idle.
int gemv_cols_along_k(int64_t K) {
  static const int forced = [] {
    const char* env = std::getenv("WEBDNN_WEBGPU_GEMV_COLS");
    if (!env || !*env) return 0;
    int c = std::atoi(env);
    WEBDNN_CHECK(c == 1 || c == 2 || c == 4 || c == 8 || c == 16, "WEBDNN_WEBGPU_GEMV_COLS takes 1, 2, 4, 8 or 16, not '" + std::string(env) + "'");
    return c;
  }();
  return forced ? forced : K >= 1024 ? 1 : 4;
}

Program::Variant gemv(const GemmSpec& s) {
  const bool along_n = s.b_n_contiguous;
  const int T = 256, cols = along_n ? 32 : gemv_cols_along_k(s.K), lanes = T / cols;
  // Lane l of column c sits at l * cols + c (along n) or c * lanes + l (along k).
  const int64_t apart = along_n ? cols : 1;
  std::string tree;
  for (int stride = lanes / 2; stride >= 1; stride /= 2)
    tree += "if (lane < " + u32(stride) + ") { part[lid] = part[lid] + part[lid + " + u32(stride * apart) + "]; }\nworkgroupBarrier();\n";
  std::string code = fill(kGemv, {{"extra", s.operand_functions + s.extra}, {"threads", std::to_string(T)}, {"cols", u32(cols)},
                                  {"column", along_n ? "lid % " + u32(cols) : "lid / " + u32(lanes)},
                                  {"lane", along_n ? "lid / " + u32(cols) : "lid % " + u32(lanes)},
                                  {"lanes", u32(lanes)}, {"two_steps", u32(2 * lanes)}, {"three_steps", u32(3 * lanes)},
                                  {"four_steps", u32(4 * lanes)}, {"last_col", u32(s.N - 1)}, {"K", u32(s.K)},
                                  {"type", sum_type(s)}, {"zero", s.packed ? "0i" : "0.0"},
                                  {"p0", product(s, s.a("bt", "0u", "k"), s.b("bt", "k", "n"))},
                                  {"p1", product(s, s.a("bt", "0u", "k1"), s.b("bt", "k1", "n"))},
                                  {"p2", product(s, s.a("bt", "0u", "k2"), s.b("bt", "k2", "n"))},
                                  {"p3", product(s, s.a("bt", "0u", "k3"), s.b("bt", "k3", "n"))}, {"tree", tree},
                                  {"N", u32(s.N)}, {"store", s.store("bt", "0u", "col", "part[lid]")}});
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.N, cols) <= 65535, "product too large to dispatch");
  return {code, {ceil_div(s.N, cols), 1, s.batch}};
}

// GPU: a BM x BN block per workgroup, staged BK deep through workgroup memory (As[kk * BM + mm],
// Bs[kk * BN + nn]), a TM x TN register block per invocation.
const char* kTiled = R"(${extra}
var<workgroup> As: array<${elem}, ${as_size}>;
var<workgroup> Bs: array<${elem}, ${bs_size}>;
${slices}
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * ${BM};
  let n0 = wid.x * ${BN};
  ${place}
  let tx = ${pl} % ${WN};
  let ty = ${pl} / ${WN};
  ${accumulators}
  ${loop} {
    ${stage_a}
    ${stage_b}
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}; kk = kk + 1u) {
      ${load_a}
      ${load_b}
      ${multiply_add}
    }
    workgroupBarrier();
  }
  ${store}
}
)";

// With slices: each slice's sums into workgroup memory, then the first slice adds them up and
// stores the block.
const char* kSliceSum = R"(${put}
workgroupBarrier();
if (sl == 0u) {
  ${add}
  ${store}
}
)";

// One invocation's share of staging a BK-deep slice of A (or B) in workgroup memory: element e
// of the slice, walking the operand's contiguous axis with consecutive invocations.
const char* kStage = R"({
  let ${e} = ${pl} + ${first};
  ${body}
}
)";

// The shape of a tiled kernel, worked out once from its tiles. T invocations per slice; slice sl
// stages into its own part of As and Bs (from a_at, b_at).
struct Tiling {
  explicit Tiling(const GemmSpec& s) : t(gpu_tiles(s.batch, s.M, s.N, s.K)) {
    T = t.wm * t.wn, BM = t.wm * t.tm, BN = t.wn * t.tn, BK = t.bk, per = t.vec ? 4 : 1;
    sliced = t.ks > 1;
    edge_m = s.M % BM != 0, edge_n = s.N % BN != 0, edge_k = s.K % (BK * t.ks) != 0;
    pl = sliced ? "pl" : "lid";
    a_at = sliced ? "sl * " + u32(BK * BM / per) + " + " : "";
    b_at = sliced ? "sl * " + u32(BK * BN / per) + " + " : "";
  }
  Tiles t;
  int T, BM, BN, BK, per;
  bool sliced, edge_m, edge_n, edge_k;
  std::string pl, a_at, b_at;
};

// Where the vec4s of workgroup memory are staged by invocations that walk the depth (A
// row-major), the vec4s of one depth row are swizzled, vec4 r stored at r ^ (kk % swizzle), so
// that one round of stores falls in different banks; reads undo it. 1: no swizzle.
int swizzle(const Tiling& g, bool is_a, bool along_k) {
  const int r4 = (is_a ? g.BM : g.BN) / 4;
  return g.t.vec && along_k && (r4 & (r4 - 1)) == 0 ? std::min(8, r4) : 1;
}
bool along_k_of(const GemmSpec& s, bool is_a) { return is_a ? s.a_k_contiguous : !s.b_n_contiguous; }

// The statements staging a BK-deep slice of A (or B) into workgroup memory: element e of the
// slice's rows x BK values, or with vec4s of its rows / 4 x BK vec4s, each invocation storing a
// whole vec4 (four rows or columns at one depth). Storing a vec4's components one by one
// (`As[i][c] = x`) made a fused attention kernel of the same design 1.8x slower on an H100
// (kernels/attention.cc), and this GEMM's large products 3-17% slower.
std::string stage(const GemmSpec& s, const Tiling& g, bool is_a) {
  const int per = g.per, units = (is_a ? g.BM : g.BN) / per, total = units * g.BK;
  const bool along_k = along_k_of(s, is_a);
  const bool edge_r = is_a ? g.edge_m : g.edge_n;
  const int64_t extent = is_a ? s.M : s.N;
  const std::string base = is_a ? "m0" : "n0", p = is_a ? "a" : "b";
  const int sw = swizzle(g, is_a, along_k);
  std::string code;
  for (int j = 0; j * g.T < total; j++) {
    std::string e = p + "e" + std::to_string(j), rr = p + "r" + std::to_string(j), kk = p + "k" + std::to_string(j);
    std::string split = along_k ? "let " + kk + " = " + e + " % " + u32(g.BK) + ";\nlet " + rr + " = " + e + " / " + u32(g.BK) + ";"
                                : "let " + rr + " = " + e + " % " + u32(units) + ";\nlet " + kk + " = " + e + " / " + u32(units) + ";";
    // Parenthesized: the callbacks multiply them.
    std::string gk = "(k0 + " + kk + ")", clamp, k_cond;
    std::vector<std::string> gr(static_cast<size_t>(per)), cond(static_cast<size_t>(per));
    for (int c = 0; c < per; c++) {
      std::string& r = gr[static_cast<size_t>(c)];
      r = "(" + base + " + " + rr + (per > 1 ? " * 4u + " + u32(c) : "") + ")";
      if (edge_r) {
        const std::string name = "g" + rr + (per > 1 ? "_" + std::to_string(c) : "");
        clamp += "let " + name + " = min(" + r + ", " + u32(extent - 1) + ");\n";
        cond[static_cast<size_t>(c)] = "(" + r + " < " + u32(extent) + ")";
        r = name;
      }
    }
    if (g.edge_k) {
      clamp += "let g" + kk + " = min(" + gk + ", " + u32(s.K - 1) + ");\n";
      k_cond = "(" + gk + " < " + u32(s.K) + ")";
      gk = "g" + kk;
    }
    std::string values;
    for (int c = 0; c < per; c++) {
      const std::string& in = cond[static_cast<size_t>(c)];
      const std::string both = in.empty() || k_cond.empty() ? in + k_cond : in + " & " + k_cond;
      std::string v = is_a ? s.a("bt", gr[static_cast<size_t>(c)], gk) : s.b("bt", gk, gr[static_cast<size_t>(c)]);
      if (!both.empty()) v = "select(" + std::string(s.packed ? "0u" : "0.0") + ", " + v + ", " + both + ")";
      values += (c ? ", " : "") + v;
    }
    const std::string at = (is_a ? g.a_at : g.b_at) + kk + " * " + u32(units) + " + " +
                           (sw > 1 ? "(" + rr + " ^ (" + kk + " % " + u32(sw) + "))" : rr);
    std::string body = fill(R"(${split}
${clamp}
${array}[${at}] = ${value};
)", {{"split", split}, {"clamp", clamp}, {"array", is_a ? "As" : "Bs"}, {"at", at},
     {"value", per > 1 ? std::string(s.packed ? "vec4<u32>(" : "vec4<f32>(") + values + ")" : values}});
    if ((j + 1) * g.T > total) body = "if (" + e + " < " + u32(total) + ") {\n" + indent(body) + "}\n";
    code += fill(kStage, {{"e", e}, {"pl", g.pl}, {"first", u32(j * g.T)}, {"body", body}});
  }
  return code;
}

// Register row r and column q of an invocation, from the block's corner. Scalars: rows ty * tm + r,
// columns tx + q * wn. vec4s: fours of rows and columns strided by the workgroup, so that
// neighbouring invocations read neighbouring vec4s.
std::string block_row(const Tiles& t, int r) {
  return t.vec ? u32((r / 4) * t.wm * 4 + r % 4) + " + ty * 4u" : "ty * " + u32(t.tm) + " + " + u32(r);
}
std::string block_col(const Tiles& t, int q) {
  return t.vec ? u32((q / 4) * t.wn * 4 + q % 4) + " + tx * 4u" : "tx + " + u32(q * t.wn);
}

// The statements reading an invocation's registers a<r> (is_a) or b<q> from workgroup memory at kk.
std::string register_loads(const GemmSpec& s, const Tiling& g, bool is_a) {
  const Tiles& t = g.t;
  const int count = is_a ? t.tm : t.tn, block = is_a ? g.BM : g.BN;
  const std::string p = is_a ? "a" : "b", array = is_a ? "As[" : "Bs[",& first = is_a ? g.a_at : g.b_at;
  std::string code;
  if (!t.vec) {
    for (int i = 0; i < count; i++)
      code += "let " + p + std::to_string(i) + " = " + array + first + "kk * " + u32(block) + " + " +
              (is_a ? block_row(t, i) : block_col(t, i)) + "];\n";
    return code;
  }
  const char* xyzw[] = {"x", "y", "z", "w"};
  const int sw = swizzle(g, is_a, along_k_of(s, is_a));
  for (int i = 0; i < count; i += 4) {
    std::string v = p + "v" + std::to_string(i / 4);
    std::string col = std::string(is_a ? "ty" : "tx") + " + " + u32(i / 4 * (is_a ? t.wm : t.wn));
    if (sw > 1) col = "((" + col + ") ^ (kk % " + u32(sw) + "))";
    code += "let " + v + " = " + array + first + "kk * " + u32(block / 4) + " + " + col + "];\n";
    for (int c = 0; c < 4; c++) code += "let " + p + std::to_string(i + c) + " = " + v + "." + xyzw[c] + ";\n";
  }
  return code;
}

// With slices: each slice's sums into workgroup memory, then the first slice adds them up and
// stores the block (`store`).
std::string slice_sums(const GemmSpec& s, const Tiling& g, const std::string& store) {
  const Tiles& t = g.t;
  const int tmn = t.tm * t.tn;
  std::string put = "if (sl > 0u) {\n", add;
  for (int i = 0; i < tmn; i++) {
    std::string a = acc(i / t.tn, i % t.tn);
    put += "  sums[((sl - 1u) * " + u32(g.T) + " + pl) * " + u32(tmn) + " + " + u32(i) + "] = " + a + ";\n";
    for (int k = 0; k + 1 < t.ks; k++)
      add += a + " = " + a + " + sums[(" + u32(k * g.T) + " + pl) * " + u32(tmn) + " + " + u32(i) + "];\n";
  }
  return fill(kSliceSum, {{"put", put + "}"}, {"add", add}, {"store", store}});
}

Program::Variant tiled(const GemmSpec& s) {
  if (s.M == 1 && s.K >= 64) return gemv(s);
  const Tiling g(s);
  const Tiles& t = g.t;
  std::string store = store_block(s, t, [&](int r) { return "m0 + " + block_row(t, r); },
                                  [&](int q) { return "n0 + " + block_col(t, q); });
  std::string loop = "for (var k0 = 0u; k0 < " + u32(s.K) + "; k0 = k0 + " + u32(g.BK) + ")";
  std::string slices, place;
  if (g.sliced) {
    // Every slice runs the same number of rounds (barriers stay uniform); k past K reads zeros.
    loop = "for (var k1 = 0u; k1 < " + u32(s.K) + "; k1 = k1 + " + u32(g.BK * t.ks) + ")";
    slices = "var<workgroup> sums: array<" + std::string(sum_type(s)) + ", " + std::to_string((t.ks - 1) * g.T * t.tm * t.tn) + ">;\n";
    place = "let sl = lid / " + u32(g.T) + ";\nlet pl = lid % " + u32(g.T) + ";\n";
    store = slice_sums(s, g, store);
  }
  const std::string elem = s.packed ? "u32" : "f32";
  std::string code = fill(kTiled, {{"extra", s.operand_functions + s.extra}, {"elem", t.vec ? "vec4<" + elem + ">" : elem},
                                   {"as_size", std::to_string(g.BK * g.BM / g.per * t.ks)},
                                   {"bs_size", std::to_string(g.BK * g.BN / g.per * t.ks)},
                                   {"slices", slices}, {"place", place}, {"pl", g.pl}, {"loop", loop},
                                   {"threads", std::to_string(g.T * t.ks)}, {"BM", u32(g.BM)}, {"BN", u32(g.BN)},
                                   {"BK", u32(g.BK)}, {"WN", u32(t.wn)}, {"accumulators", accumulators(t, s.packed)},
                                   {"stage_a", (g.sliced ? "let k0 = k1 + sl * " + u32(g.BK) + ";\n" : std::string()) + stage(s, g, true)},
                                   {"stage_b", stage(s, g, false)}, {"load_a", register_loads(s, g, true)},
                                   {"load_b", register_loads(s, g, false)}, {"multiply_add", multiply_add(t.tm, t.tn, s.packed)},
                                   {"store", store}});
  WEBDNN_CHECK(s.batch <= 65535 && ceil_div(s.M, g.BM) <= 65535 && ceil_div(s.N, g.BN) <= 65535, "product too large to dispatch");
  return {code, {ceil_div(s.N, g.BN), ceil_div(s.M, g.BM), s.batch}};
}

}  // namespace

std::string multiply_add(int tm, int tn, bool packed) {
  return each(tm, tn, [&](int r, int q) {
    const std::string a = "a" + std::to_string(r), b = "b" + std::to_string(q);
    return acc(r, q) + " = " + acc(r, q) + " + " + (packed ? "dot4(" + a + ", " + b + ")" : a + " * " + b) + ";\n";
  });
}

// The sum of the products of two words' four int8 values each: one instruction where WGSL has
// dot4I8Packed, else the values sign-extended out of their bytes.
const char* kDot4Packed = R"(fn dot4(a: u32, b: u32) -> i32 {
  return dot4I8Packed(a, b);
}
)";
const char* kDot4 = R"(fn dot4(a: u32, b: u32) -> i32 {
  let shifts = vec4<u32>(24u, 16u, 8u, 0u);
  let x = bitcast<vec4<i32>>(vec4<u32>(a) << shifts) >> vec4<u32>(24u);
  let y = bitcast<vec4<i32>>(vec4<u32>(b) << shifts) >> vec4<u32>(24u);
  return dot(x, y);
}
)";

void gemm(const ir::Operator& op, Program& program, const GemmSpec& s) {
  if (!s.packed) return program.dispatch_variants(op, tiled(s), direct(s));
  GemmSpec with = s;
  with.extra = kDot4 + s.extra;
  Program::Variant gpu = tiled(with), cpu = direct(with);
  with.extra = kDot4Packed + s.extra;
  program.dispatch_packed_dot(op, gpu, cpu, tiled(with), direct(with));
}

std::string batch_offset(const Shape& batch, const Shape& strides, int64_t matrix, const std::string& b) {
  std::string s;
  int64_t inner = 1;
  for (size_t d = batch.size(); d-- > 0;) {
    if (strides[d] != 0 && batch[d] > 1) {
      std::string coord = "((" + b + " / " + u32(inner) + ") % " + u32(batch[d]) + ")";
      s += (s.empty() ? "" : " + ") + coord + " * " + u32(strides[d] * matrix);
    }
    inner *= batch[d];
  }
  return s.empty() ? "0u" : "(" + s + ")";
}

namespace {

void matmul(const ir::Operator& op, Program& program) {
  if (integer_product(op, program)) return;
  Operand a = program.input("a", op.inputs[0]), b = program.input("b", op.inputs[1]);
  const MatMulShape shape = matmul_shape(a.shape(), b.shape());
  const int64_t M = shape.M, K = shape.K, N = shape.N;
  const Shape &batch = shape.batch, &sa = shape.a_strides, &sb = shape.b_strides;
  GemmSpec s;
  s.batch = num_elements(batch);
  s.M = M, s.N = N, s.K = K;
  s.a = [=](const std::string& bt, const std::string& m, const std::string& k) {
    return a.get(batch_offset(batch, sa, M * K, bt) + " + " + m + " * " + u32(K) + " + " + k);
  };
  s.b = [=](const std::string& bt, const std::string& k, const std::string& n) {
    return b.get(batch_offset(batch, sb, K * N, bt) + " + " + k + " * " + u32(N) + " + " + n);
  };
  s.store = [=](const std::string& bt, const std::string& m, const std::string& n, const std::string& x) {
    return "store_y((" + bt + " * " + u32(M) + " + " + m + ") * " + u32(N) + " + " + n + ", " + x + ");";
  };
  s.extra = store_function(op, 2, program);
  gemm(op, program, s);
}

void gemm_op(const ir::Operator& op, Program& program) {
  if (integer_product(op, program)) return;
  Operand a = program.input("a", op.inputs[0]), b = program.input("b", op.inputs[1]);
  const ir::Variable* C = op.input(2);
  params::Gemm p = params::Gemm::parse(op.params);
  const bool ta = p.trans_a, tb = p.trans_b;
  const double alpha = p.alpha, beta = p.beta;
  const int64_t M = op.outputs[0]->shape[0], N = op.outputs[0]->shape[1], K = ta ? a.shape()[0] : a.shape()[1];
  GemmSpec s;
  s.M = M, s.N = N, s.K = K;
  s.a = [=](const std::string&, const std::string& m, const std::string& k) {
    return a.get(ta ? k + " * " + u32(M) + " + " + m : m + " * " + u32(K) + " + " + k);
  };
  s.b = [=](const std::string&, const std::string& k, const std::string& n) {
    return b.get(tb ? n + " * " + u32(K) + " + " + k : k + " * " + u32(N) + " + " + n);
  };
  s.a_k_contiguous = !ta;
  s.b_n_contiguous = !tb;
  // C broadcast to [M, N] (strides 0 along broadcast axes), scaled by beta.
  Operand c;
  Shape cs;
  if (C && beta != 0.0) {
    c = program.input("c", C);
    cs = broadcast_strides(C->shape, contiguous_strides(C->shape), {M, N});
  }
  s.store = [=](const std::string&, const std::string& m, const std::string& n, const std::string& x) {
    std::string v = alpha == 1.0 ? x : f32(alpha) + " * " + x;
    if (c.variable) {
      std::string cv = c.get(m + " * " + u32(cs[0]) + " + " + n + " * " + u32(cs[1]));
      v += " + " + (beta == 1.0 ? cv : f32(beta) + " * " + cv);
    }
    return "store_y(" + m + " * " + u32(N) + " + " + n + ", " + v + ");";
  };
  s.extra = store_function(op, 3, program);
  gemm(op, program, s);
}

}  // namespace

WEBDNN_WGSL_KERNEL(matmul, "MatMul");
WEBDNN_WGSL_KERNEL(gemm_op, "Gemm");

}  // namespace webdnn::backends::webgpu
