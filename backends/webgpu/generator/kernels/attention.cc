// FusedAttention (params::FusedAttention, made by the fuse_attention rule): Y = softmax(epilogue(Q . K')) . V
// over the last axis of the scores, with Q [..., S, D], K' [..., D, T], V [..., T, Dv] and Y
// [..., S, Dv]. No kernel writes the S x T scores: each query row keeps a running maximum m, a
// running sum l of exp(score - m) and its output row o (all in registers), rescaled whenever m
// grows, and divides by l at the end (the online softmax of flash attention).
//
// GPUs, flash-attention style: a workgroup of 8 x 8 invocations takes 32 query rows through tiles
// of 32 keys; each invocation computes a 4 x 4 block of the tile's scores from Q's and K''s slices
// in workgroup memory, the tile's probabilities go back there, and each invocation adds them times
// V's tile into its 4 rows x 4 or 8 columns of the output. Heads of more than 64 take more slices
// of the depth, and V's tile in slices of 64 columns, one after the other through the same
// workgroup memory (each invocation then holds 4 rows x 8 columns of each slice), so that any head
// stays within 16 KB. Rows' maxima and sums are shared through workgroup memory. The keys of a row
// are split into ranges over several workgroups where the rows alone would leave the GPU idle, the
// ranges' partial results merged by a second dispatch. SwiftShader: one invocation per query row,
// reading K and V from copies of them as rows of keys (workgroup memory and barriers cost more than
// they save on CPU threads).
//
// Staging into workgroup memory stores whole vec4s: element by element (`sm[i][c] = x`, as the
// tiled GEMM then did) made the kernel 1.8x slower on an H100 (Whisper's attention 0.62 ms a
// layer, 0.34 with vec4s).
#include <algorithm>
#include <limits>
#include <vector>

#include "backends/webgpu/generator/kernels/kernels.h"
#include "webdnn/error.h"
#include "webdnn/shape.h"

namespace webdnn::backends::webgpu {
namespace {

// GPUs: a workgroup of 8 x 8 invocations takes 32 query rows against tiles of 32 keys, the
// depth staged 32 at a time (two slices for heads of 64: each slice's loads wait at a barrier),
// V's columns kSlice at a time (8 for each invocation of a row).
constexpr int64_t kGroup = 64, kCols = 8, kRowsGpu = 32, kTile = 32, kDepth = 32, kSlice = 8 * kCols;
// Workgroup memory (vec4s): Q's slice (kDepth x kRowsGpu) from 0 and K''s (kDepth x kTile) from
// kK, then a slice of V's tile (kTile x kSlice at most) from kV on: 16 KB where V has 64 columns
// or more, WebGPU's least limit. The tile's probabilities (kTile x kRowsGpu) take Q's place, the
// rows' maxima and sums K''s. The slices and tiles are staged as whole vec4s; Q's slice is
// transposed as it is stored (a vec4 holds a depth of four rows), its vec4s of a depth swizzled
// (vec4 r at r ^ (depth % 8)) so that the 8 depths one round of stores writes fall in different
// banks.
constexpr int64_t kK = kDepth * kRowsGpu / 4, kV = kK + kDepth * kTile / 4;
static_assert(kTile * kRowsGpu / 4 <= kK && kRowsGpu * kCols / 4 <= kV - kK, "P and the shared values fit");
static_assert((kV + kTile * kSlice / 4) * 16 <= 16384, "within the workgroup memory every device has");

// "vec4<f32>(...)" of elements 4c .. 4c+3 of a row of n, `at(d)` reading element d; zeros past n.
std::string vec4_of(int64_t c, int64_t n, const std::function<std::string(int64_t)>& at) {
  std::string parts;
  for (int64_t d = 4 * c; d < 4 * c + 4; d++) parts += std::string(d > 4 * c ? ", " : "") + (d < n ? at(d) : "0.0");
  return "vec4<f32>(" + parts + ")";
}

// Runs `line(i)` for i in [0, n) and concatenates.
std::string each(int64_t n, const std::function<std::string(int64_t)>& line) {
  std::string s;
  for (int64_t i = 0; i < n; i++) s += line(i);
  return s;
}

std::string name(const char* prefix, int64_t i) { return prefix + std::to_string(i); }

// A slice of V's columns on GPUs: its first vec4 of a row, its vec4s for each invocation of a row
// (1 where the slice has 32 columns or fewer, else 2), and where they start among an invocation's
// output vec4s of a row.
struct ValueSlice {
  int64_t first4, dv4, at;
};

struct Attention {
  Shape batch;
  int64_t batches, S, D, T, Dv, D4, V4;
  std::string q_at, k_at, v_at;  // u32 offsets of batch `b`'s matrices
  Operand q, k, v;
  std::string score_function;  // fn score(i, x): the epilogue at element i of the scores

  // Statements loading query row `row` (a clamped u32 expression) into vec4s q0, q1, ...
  std::string load_q(const std::string& row) const {
    return each(D4, [&](int64_t c) {
      return "let " + name("q", c) + " = " + vec4_of(c, D, [&](int64_t d) {
               return q.get(q_at + " + " + row + " * " + u32(D) + " + " + u32(d));
             }) + ";\n";
    });
  }
  // Statements storing vec4 `value` as elements 4c .. 4c+3 (c a u32 expression) of row `at` (a u32
  // expression) of `out`, rows of Dv, where `guard` (a bool WGSL expression, or "") holds.
  std::string store(const Operand& out, const std::string& at, const std::string& c, const std::string& value,
                    const std::string& guard) const {
    return each(std::min<int64_t>(4, Dv), [&](int64_t comp) {
      const std::string d = "4u * " + c + " + " + u32(comp);
      const std::string inside = d + " < " + u32(Dv);
      return "if (" + (guard.empty() ? inside : "(" + guard + ") & (" + inside + ")") + ") { " +
             out.set("(" + at + ") * " + u32(Dv) + " + " + d, value + "[" + std::to_string(comp) + "]") + " }\n";
    });
  }

  // Declares Q, K', V and the epilogue's inputs for the next dispatch, and writes score(); K and V
  // from `keys` and `values` where given (SwiftShader's copies of them, see cpu_dispatches()).
  void declare(const ir::Operator& op, Program& program, const ir::Variable* keys = nullptr,
               const ir::Variable* values = nullptr) {
    q = program.input("q", op.inputs[0]);
    k = program.input("k", keys ? keys : op.inputs[1]), v = program.input("v", values ? values : op.inputs[2]);
    Shape scores = batch;
    scores.insert(scores.end(), {S, T});
    score_function = epilogue_function(op, 3, scores, "score", program);
  }

  // V's columns in slices of kSlice, the last of 4 or 8 columns for each invocation of a row.
  std::vector<ValueSlice> value_slices() const {
    std::vector<ValueSlice> slices;
    for (int64_t first = 0, at = 0; first < Dv; first += kSlice) {
      slices.push_back({first / 4, ceil_div(std::min(kSlice, Dv - first), 4 * kCols), at});
      at += slices.back().dv4;
    }
    return slices;
  }

  // Statements staging slice `s` of V's tile of keys from t0 into workgroup memory from kV, rows of
  // kCols * s.dv4 vec4s, zeros past V's last column.
  std::string stage_v(const ValueSlice& s) const {
    const std::string dv = (s.first4 ? u32(4 * s.first4) + " + " : "") + "c4 * 4u + vec4<u32>(0u, 1u, 2u, 3u)";
    return fill(R"(for (var e = lid; e < ${V_VEC4S}; e = e + ${GROUP}u) {
  let c4 = e % ${VROW};
  let at = ${v_row} + min(t0 + e / ${VROW}, ${T_LAST}) * ${DV};
  let dv = ${dv};
  let cols = min(dv, vec4<u32>(${DV_LAST}));
  let vv = vec4<f32>(${v0}, ${v1}, ${v2}, ${v3});
  sm[${V_AT} + e] = select(vec4<f32>(0.0), vv, dv < vec4<u32>(${DV}));
}
)", {{"V_VEC4S", u32(kTile * kCols * s.dv4)}, {"GROUP", std::to_string(kGroup)}, {"VROW", u32(kCols * s.dv4)},
     {"v_row", v_at}, {"T_LAST", u32(T - 1)}, {"DV", u32(Dv)}, {"dv", dv}, {"DV_LAST", u32(Dv - 1)},
     {"v0", v.get("at + cols.x")}, {"v1", v.get("at + cols.y")}, {"v2", v.get("at + cols.z")},
     {"v3", v.get("at + cols.w")}, {"V_AT", u32(kV)}});
  }

  // The loop adding the tile's probabilities (in Q's place, a vec4 of four rows per key) times
  // slice `s` of V's tile to the invocation's outputs o{row}_{s.at ..}.
  std::string add_values(const ValueSlice& s) const {
    std::string loads, adds;
    for (int64_t c = 0; c < s.dv4; c++)
      loads += "let v" + std::to_string(c) + " = sm[" + u32(kV) + " + j * " + u32(kCols * s.dv4) + " + tc * " +
               u32(s.dv4) + " + " + u32(c) + "];\n";
    for (int64_t r = 0; r < 4; r++)
      for (int64_t c = 0; c < s.dv4; c++) {
        const std::string o = "o" + std::to_string(r) + "_" + std::to_string(s.at + c);
        adds += o + " = " + o + " + pv[" + std::to_string(r) + "] * v" + std::to_string(c) + ";\n";
      }
    return fill(R"(for (var j = 0u; j < ${BC}; j = j + 1u) {
  let pv = sm[j * ${BR4} + tr];
  ${loads_v}
  ${accumulate}
}
)", {{"BC", u32(kTile)}, {"BR4", u32(kRowsGpu / 4)}, {"loads_v", loads}, {"accumulate", adds}});
  }

  // What follows the tile's probabilities: their products with V's first slice (staged with the
  // tile's first slice of the depth), then with each further slice once staged in its place.
  std::string add_all_values() const {
    const std::vector<ValueSlice> slices = value_slices();
    std::string code = add_values(slices[0]);
    for (size_t s = 1; s < slices.size(); s++)
      code += "workgroupBarrier();\n" + stage_v(slices[s]) + "workgroupBarrier();\n" + add_values(slices[s]);
    return code;
  }

  // The GPU kernel over `splits` ranges of keys (a workgroup per range and 32 rows): with one, it
  // writes Y; with more, each range's unnormalized output rows to `parts` ([batch, split, S, Dv])
  // and their maxima and sums to `stats` ([batch, split, S, 2]), for merge().
  Program::Variant gpu(int64_t splits, const Operand& y, const Operand& parts, const Operand& stats) const {
    // Per invocation: a 4 x 4 block of the scores (rows tr*4.., keys tc*4..) and of each slice of
    // V's columns a 4 x DVT block of the output (rows tr*4.., the slice's columns tc*DVT..), DVT = 4
    // or 8.
    const std::vector<ValueSlice> slices_v = value_slices();
    const int64_t outputs = slices_v.back().at + slices_v.back().dv4;  // vec4s of a row for each invocation
    const int64_t sm_size = kV + kTile * kCols * slices_v[0].dv4;        // the first slice is the widest
    const int64_t chunks = ceil_div(D, kDepth);
    auto rq = [](int64_t r, int64_t q) { return std::to_string(r) + "_" + std::to_string(q); };
    std::string scores_init, products, keyed, maxima, sums, outputs_init, rescale, stores;
    // The 8 invocations of a row share a value through K''s area: invocation tc's for row r is
    // component tc % 4 of vec4 (row * 2 + tc / 4) there.
    auto share = [&](int64_t r, const std::string& value) {
      return "sm[" + u32(kK) + " + (tr * 4u + " + u32(r) + ") * 2u + tc / 4u][tc % 4u] = " + value + ";\n";
    };
    auto shared = [&](int64_t r, int64_t half) {
      return "sm[" + u32(kK) + " + (tr * 4u + " + u32(r) + ") * 2u + " + u32(half) + "]";
    };
    for (int64_t r = 0; r < 4; r++) {
      for (int64_t q = 0; q < 4; q++) {
        scores_init += "var s" + rq(r, q) + " = 0.0;\n";
        products += "s" + rq(r, q) + " = s" + rq(r, q) + " + a[" + std::to_string(r) + "] * k[" + std::to_string(q) + "];\n";
      }
      keyed += fill(R"(let at${r} = (b * ${S} + min(row${r}, ${S_LAST})) * ${T};
let x${r}_0 = select(lowest, score(at${r} + min(key0, ${T_LAST}), s${r}_0), key0 < ${T});
let x${r}_1 = select(lowest, score(at${r} + min(key0 + 1u, ${T_LAST}), s${r}_1), key0 + 1u < ${T});
let x${r}_2 = select(lowest, score(at${r} + min(key0 + 2u, ${T_LAST}), s${r}_2), key0 + 2u < ${T});
let x${r}_3 = select(lowest, score(at${r} + min(key0 + 3u, ${T_LAST}), s${r}_3), key0 + 3u < ${T});
)", {{"r", std::to_string(r)}, {"S", u32(S)}, {"S_LAST", u32(S - 1)}, {"T", u32(T)}, {"T_LAST", u32(T - 1)}});
      maxima += share(r, "max(max(x" + rq(r, 0) + ", x" + rq(r, 1) + "), max(x" + rq(r, 2) + ", x" + rq(r, 3) + "))");
      sums += share(r, "l" + std::to_string(r));
      const std::string top = "max(max(max(h" + std::to_string(r) + ".x, h" + std::to_string(r) + ".y), max(h" +
                              std::to_string(r) + ".z, h" + std::to_string(r) + ".w)), max(max(g" + std::to_string(r) +
                              ".x, g" + std::to_string(r) + ".y), max(g" + std::to_string(r) + ".z, g" + std::to_string(r) + ".w)))";
      rescale += fill(R"(let h${r} = ${shared0};
let g${r} = ${shared1};
let top${r} = max(m${r}, ${top});
let a${r} = exp(m${r} - top${r});
m${r} = top${r};
let p${r}_0 = select(0.0, exp(x${r}_0 - top${r}), key0 < ${T});
let p${r}_1 = select(0.0, exp(x${r}_1 - top${r}), key0 + 1u < ${T});
let p${r}_2 = select(0.0, exp(x${r}_2 - top${r}), key0 + 2u < ${T});
let p${r}_3 = select(0.0, exp(x${r}_3 - top${r}), key0 + 3u < ${T});
l${r} = l${r} * a${r} + p${r}_0 + p${r}_1 + p${r}_2 + p${r}_3;
)", {{"r", std::to_string(r)}, {"shared0", shared(r, 0)}, {"shared1", shared(r, 1)}, {"top", top}, {"T", u32(T)}});
      for (int64_t c = 0; c < outputs; c++) {
        const std::string o = "o" + rq(r, c);
        outputs_init += "var " + o + " = vec4<f32>(0.0);\n";
        rescale += o + " = " + o + " * a" + std::to_string(r) + ";\n";
      }
      const std::string sum = "dot(" + shared(r, 0) + " + " + shared(r, 1) + ", vec4<f32>(1.0))";
      const std::string row = "row" + std::to_string(r), inside = row + " < " + u32(S);
      const std::string at = splits == 1 ? "b * " + u32(S) + " + " + row
                                         : "(b * " + u32(splits) + " + wid.z) * " + u32(S) + " + " + row;
      if (splits == 1) stores += "let inv" + std::to_string(r) + " = 1.0 / (" + sum + ");\n";
      else
        stores += "if ((" + inside + ") & (tc == 0u)) { " + stats.set("(" + at + ") * 2u", "m" + std::to_string(r)) + " " +
                  stats.set("(" + at + ") * 2u + 1u", sum) + " }\n";
      for (const ValueSlice& s : slices_v)
        for (int64_t c = 0; c < s.dv4; c++) {
          const std::string vec4 = (s.first4 ? u32(s.first4) + " + " : "") + "tc * " + u32(s.dv4) + " + " + u32(c);
          const std::string o = "o" + rq(r, s.at + c);
          stores += store(splits == 1 ? y : parts, at, "(" + vec4 + ")",
                          splits == 1 ? "(" + o + " * inv" + std::to_string(r) + ")" : o, inside);
        }
    }
    // The depth in slices of kDepth, the first staged with V's tile.
    std::string slices;
    for (int64_t c = 0; c < chunks; c++) {
      slices += (c ? "workgroupBarrier();\n" : "") +
                fill(R"(for (var e = lid; e < ${Q_VEC4S}; e = e + ${GROUP}u) {
  let dd = e % ${DEPTH};
  let r4 = e / ${DEPTH};
  let d = min(${first} + dd, ${D_LAST});
  let rows = min(first_row + r4 * 4u + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(${S_LAST}));
  let qv = vec4<f32>(${q0}, ${q1}, ${q2}, ${q3});
  sm[dd * ${BR4} + (r4 ^ (dd % ${BR4}))] = select(vec4<f32>(0.0), qv, ${first} + dd < ${D});
}
for (var e = lid; e < ${K_VEC4S}; e = e + ${GROUP}u) {
  let j4 = e % ${BC4};
  let dd = e / ${BC4};
  let at = ${k_row} + min(${first} + dd, ${D_LAST}) * ${T};
  let keys = min(t0 + j4 * 4u + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(${T_LAST}));
  let kv = vec4<f32>(${k0}, ${k1}, ${k2}, ${k3});
  sm[${K_AT} + dd * ${BC4} + j4] = select(vec4<f32>(0.0), kv, ${first} + dd < ${D});
}
workgroupBarrier();
for (var dd = 0u; dd < ${DEPTH}; dd = dd + 1u) {
  let a = sm[dd * ${BR4} + (tr ^ (dd % ${BR4}))];
  let k = sm[${K_AT} + dd * ${BC4} + tc];
  ${products}
}
)", {{"Q_VEC4S", u32(kDepth * kRowsGpu / 4)}, {"GROUP", std::to_string(kGroup)}, {"DEPTH", u32(kDepth)},
     {"first", u32(c * kDepth)}, {"D_LAST", u32(D - 1)}, {"S_LAST", u32(S - 1)},
     {"q0", q.get(q_at + " + rows.x * " + u32(D) + " + d")}, {"q1", q.get(q_at + " + rows.y * " + u32(D) + " + d")},
     {"q2", q.get(q_at + " + rows.z * " + u32(D) + " + d")}, {"q3", q.get(q_at + " + rows.w * " + u32(D) + " + d")},
     {"BR4", u32(kRowsGpu / 4)}, {"D", u32(D)}, {"K_VEC4S", u32(kDepth * kTile / 4)}, {"BC4", u32(kTile / 4)},
     {"k_row", k_at}, {"T", u32(T)}, {"T_LAST", u32(T - 1)}, {"k0", k.get("at + keys.x")}, {"k1", k.get("at + keys.y")},
     {"k2", k.get("at + keys.z")}, {"k3", k.get("at + keys.w")}, {"K_AT", u32(kK)}, {"products", products}});
    }
    std::string code = fill(R"(${score_function}
// Q's and K''s slices of the depth (then P, the probabilities of a tile, in Q's place, and each row
// of invocations' maxima or sums in K''s), then V's tile.
var<workgroup> sm: array<vec4<f32>, ${SM}>;
@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.y;
  let tr = lid / ${COLS};
  let tc = lid % ${COLS};
  let first_row = wid.x * ${BR};
  let r0 = first_row + tr * 4u;
  let lowest = ${lowest};
  let row0 = r0;
  let row1 = r0 + 1u;
  let row2 = r0 + 2u;
  let row3 = r0 + 3u;
  var m0 = lowest;
  var m1 = lowest;
  var m2 = lowest;
  var m3 = lowest;
  var l0 = 0.0;
  var l1 = 0.0;
  var l2 = 0.0;
  var l3 = 0.0;
  ${outputs_init}
  let t_end = min(${T}, (wid.z + 1u) * ${PER_SPLIT});
  for (var t0 = wid.z * ${PER_SPLIT}; t0 < t_end; t0 = t0 + ${BC}) {
    ${scores_init}
    workgroupBarrier();
    ${stage_v}
    ${slices}
    let key0 = t0 + tc * 4u;
    ${keyed}
    workgroupBarrier();
    ${maxima}
    workgroupBarrier();
    ${rescale}
    sm[(tc * 4u + 0u) * ${BR4} + tr] = vec4<f32>(p0_0, p1_0, p2_0, p3_0);
    sm[(tc * 4u + 1u) * ${BR4} + tr] = vec4<f32>(p0_1, p1_1, p2_1, p3_1);
    sm[(tc * 4u + 2u) * ${BR4} + tr] = vec4<f32>(p0_2, p1_2, p2_2, p3_2);
    sm[(tc * 4u + 3u) * ${BR4} + tr] = vec4<f32>(p0_3, p1_3, p2_3, p3_3);
    workgroupBarrier();
    ${add_values}
  }
  workgroupBarrier();
  ${sums}
  workgroupBarrier();
  ${stores}
}
)", {{"score_function", score_function}, {"SM", std::to_string(sm_size)}, {"GROUP", std::to_string(kGroup)},
     {"COLS", u32(kCols)}, {"BR", u32(kRowsGpu)}, {"lowest", f32(std::numeric_limits<float>::lowest())},
     {"outputs_init", outputs_init}, {"T", u32(T)}, {"PER_SPLIT", u32(keys_per_split(splits))}, {"BC", u32(kTile)},
     {"scores_init", scores_init}, {"stage_v", stage_v(slices_v[0])}, {"slices", slices}, {"keyed", keyed},
     {"maxima", maxima}, {"rescale", rescale}, {"BR4", u32(kRowsGpu / 4)}, {"add_values", add_all_values()},
     {"sums", sums}, {"stores", stores}});
    WEBDNN_CHECK(batches <= 65535 && ceil_div(S, kRowsGpu) <= 65535, "attention too large to dispatch");
    return {code, {ceil_div(S, kRowsGpu), batches, splits}};
  }

  int64_t keys_per_split(int64_t splits) const { return ceil_div(ceil_div(T, kTile), splits) * kTile; }

  // How many ranges of keys the GPU kernel splits each row's keys into: enough workgroups to fill
  // a large GPU (~1000, 8 for each of an H100's 132 multiprocessors; Whisper's 282 blocks of rows
  // took 0.81 ms a layer unsplit, 0.62 in 4 ranges, before the vec4 stores), each range a whole
  // number of tiles, the partial results within one binding.
  int64_t splits() const {
    const int64_t tiles = ceil_div(T, kTile), blocks = batches * ceil_div(S, kRowsGpu);
    int64_t z = std::clamp<int64_t>(ceil_div(1024, blocks), 1, std::min<int64_t>(tiles, 65535));
    while (z > 1 && batches * z * S * (Dv + 2) * 4 + 2 * kAlignment > max_binding()) z--;
    return ceil_div(tiles, ceil_div(tiles, z));
  }

  // Y from the ranges' partial results: each range's rows rescaled to the overall maximum, summed,
  // divided by the sum of the rescaled sums.
  void merge(const ir::Operator& op, Program& program, int64_t splits, const ir::Variable* parts,
             const ir::Variable* stats) const {
    Operand po = program.input("parts", parts), so = program.input("stats", stats), y = program.output("y", op.outputs[0]);
    const std::string body = fill(R"(let d = i % ${DV};
let row = i / ${DV};
let first = (row / ${S}) * ${SPLITS} * ${S} + row % ${S};
var top = ${lowest};
for (var z = 0u; z < ${SPLITS}; z = z + 1u) {
  top = max(top, ${m});
}
var sum = 0.0;
var value = 0.0;
for (var z = 0u; z < ${SPLITS}; z = z + 1u) {
  let w = exp(${m} - top);
  sum = sum + ${l} * w;
  value = value + ${o} * w;
}
${store}
)", {{"DV", u32(Dv)}, {"S", u32(S)}, {"SPLITS", u32(splits)}, {"lowest", f32(std::numeric_limits<float>::lowest())},
     {"m", so.get("(first + z * " + u32(S) + ") * 2u")}, {"l", so.get("(first + z * " + u32(S) + ") * 2u + 1u")},
     {"o", po.get("(first + z * " + u32(S) + ") * " + u32(Dv) + " + d")}, {"store", y.set("i", "value / sum")}});
    program.dispatch(op, body, batches * S * Dv, workgroup_for(batches * S * Dv));
  }

  // SwiftShader's kernel: one invocation per query row. The declared k and v hold K and V as rows
  // of D and Dv values a key ([batch, T, D], [batch, T, Dv], copied there by cpu_dispatches())
  // where `rows` is set, else they are K' and V as the operator reads them.
  Program::Variant cpu(const Operand& y, bool rows) const {
    const std::string k_base = rows ? "b * " + u32(T * D) + " + t * " + u32(D) : k_at + " + t";
    const std::string v_base = rows ? "b * " + u32(T * Dv) : v_at;
    const std::string key = each(D4, [&](int64_t c) {
      return std::string(c ? " + " : "") + "dot(" + name("q", c) + ", " + vec4_of(c, D, [&](int64_t d) {
               return k.get("kt + " + u32(rows ? d : d * T));
             }) + ")";
    });
    const std::string body = fill(R"(let b = i / ${S};
let row = i % ${S};
${load_q}
let at = i * ${T};
var m = ${lowest};
var l = 0.0;
${outputs}
for (var t = 0u; t < ${T}; t = t + 1u) {
  let kt = ${k_base};
  let x = score(at + t, ${key});
  if (x > m) {
    let a = exp(m - x);
    l = l * a;
    ${rescale}
    m = x;
  }
  let pe = exp(x - m);
  l = l + pe;
  let vt = ${v_base} + t * ${DV};
  ${accumulate}
}
let inv = 1.0 / l;
var outs = array<vec4<f32>, ${V4}>(${all});
for (var c = 0u; c < ${V4}; c = c + 1u) {
  let w = outs[c] * inv;
  ${store}
}
)", {{"S", u32(S)}, {"load_q", load_q("row")}, {"T", u32(T)}, {"lowest", f32(std::numeric_limits<float>::lowest())},
     {"outputs", each(V4, [](int64_t c) { return "var " + name("o", c) + " = vec4<f32>(0.0);\n"; })}, {"key", key},
     {"k_base", k_base}, {"v_base", v_base}, {"DV", u32(Dv)},
     {"rescale", each(V4, [](int64_t c) { return name("o", c) + " = " + name("o", c) + " * a;\n"; })},
     {"accumulate", each(V4, [&](int64_t c) {
        return name("o", c) + " = " + name("o", c) + " + pe * " +
               vec4_of(c, Dv, [&](int64_t d) { return v.get("vt + " + u32(d)); }) + ";\n";
      })},
     {"V4", u32(V4)}, {"all", each(V4, [](int64_t c) { return std::string(c ? ", " : "") + name("o", c); })},
     {"store", store(y, "b * " + u32(S) + " + row", "c", "w", "")}});
    return Program::over_threads(body, batches * S, workgroup_for(batches * S), score_function);
  }

  // SwiftShader's dispatches: K and V copied into the scratch buffer as rows of keys, then the
  // one-row kernel over them. Every query row reads every key, so reading K' and V where they are
  // (strided keys; through a view's index map where they are the exporters' head splits, some ten
  // integer operations an element) made Whisper's attention 30 s a layer on SwiftShader; the
  // copies read each element once. Too large for a binding, they stay where they are.
  void cpu_dispatches(const ir::Operator& op, Program& program) {
    std::vector<const ir::Variable*> rows = {nullptr, nullptr};
    if ((batches * T * (D + Dv) + kAlignment) * 4 <= max_binding()) {
      rows = program.scratch({{batches, T, D}, {batches, T, Dv}});
      Operand kin = program.input("k", op.inputs[1]), kt = program.output("kt", rows[0]);
      program.dispatch(op, fill(R"(let b = i / ${TD};
let t = (i / ${D}) % ${T};
let d = i % ${D};
${store}
)", {{"TD", u32(T * D)}, {"D", u32(D)}, {"T", u32(T)}, {"store", kt.set("i", kin.get(k_at + " + d * " + u32(T) + " + t"))}}),
                       batches * T * D, workgroup_for(batches * T * D));
      Operand vin = program.input("v", op.inputs[2]), vt = program.output("vt", rows[1]);
      program.dispatch(op, fill(R"(let b = i / ${TDV};
${store}
)", {{"TDV", u32(T * Dv)}, {"store", vt.set("i", vin.get(v_at + " + i % " + u32(T * Dv)))}}),
                       batches * T * Dv, workgroup_for(batches * T * Dv));
    }
    declare(op, program, rows[0], rows[1]);
    Program::Variant c = cpu(program.output("y", op.outputs[0]), rows[0] != nullptr);
    program.dispatch_raw(op, c.code, c.workgroups);
  }
};

void attention(const ir::Operator& op, Program& program) {
  Attention a;
  const Shape &qs = op.inputs[0]->shape, &ks = op.inputs[1]->shape, &vs = op.inputs[2]->shape;
  const MatMulShape first = matmul_shape(qs, ks);
  a.batch = first.batch;
  a.S = first.M, a.D = first.K, a.T = first.N, a.Dv = vs.back();
  a.batches = num_elements(first.batch);
  a.D4 = ceil_div(a.D, 4), a.V4 = ceil_div(a.Dv, 4);
  Shape scores = first.batch;
  scores.insert(scores.end(), {a.S, a.T});
  const MatMulShape second = matmul_shape(scores, vs);
  WEBDNN_CHECK(second.batch == first.batch, "the scores of Q ", shape_to_string(qs), " . K' ", shape_to_string(ks),
               " are not one per batch of V ", shape_to_string(vs));
  a.q_at = batch_offset(first.batch, first.a_strides, a.S * a.D, "b");
  a.k_at = batch_offset(first.batch, first.b_strides, a.D * a.T, "b");
  a.v_at = batch_offset(first.batch, second.b_strides, a.T * a.Dv, "b");
  if (a.batches * a.S * a.Dv == 0) return program.dispatch(op, "", 0);
  if (a.T == 0) {  // no keys: empty sums
    Operand y = program.output("y", op.outputs[0]);
    return program.dispatch(op, y.set("i", "0.0"), op.outputs[0]->size(), workgroup_for(op.outputs[0]->size()));
  }
  program.only_for("cpu");
  a.cpu_dispatches(op, program);
  program.only_for("gpu");
  const int64_t splits = a.splits();
  a.declare(op, program);
  if (splits == 1) {
    Operand y = program.output("y", op.outputs[0]);
    Program::Variant gpu = a.gpu(1, y, y, y);
    program.dispatch_raw(op, gpu.code, gpu.workgroups);
  } else {
    // Split keys on GPUs only: SwiftShader's invocations are CPU threads' loop iterations, which
    // its one-row kernel fills already.
    const std::vector<const ir::Variable*> partial =
        program.scratch({{a.batches, splits, a.S, a.Dv}, {a.batches, splits, a.S, 2}});
    Operand parts = program.output("parts", partial[0]), stats = program.output("stats", partial[1]);
    Program::Variant gpu = a.gpu(splits, parts, parts, stats);
    program.dispatch_raw(op, gpu.code, gpu.workgroups);
    a.merge(op, program, splits, partial[0], partial[1]);
  }
  program.only_for("");
}

}  // namespace

WEBDNN_WGSL_KERNEL(attention, "FusedAttention");
// Q, K' and V read through views of the exporters' head splits ([B, S, H, D] seen as [B, H, S, D]
// or [B, H, D, S]): their transposes are not dispatched. On an H100 (bench/gpu/run.mjs, GPU
// timestamps) the kernel took 5-7% longer for K''s strided keys, the transposes' time went: GPU
// sums Whisper 3.34 -> 3.32 ms (63 -> 51 dispatches), BERT 0.356 -> 0.307, ViT-B/16 5.81 -> 5.52.
WEBDNN_WGSL_READS_VIEWS("FusedAttention");

}  // namespace webdnn::backends::webgpu
