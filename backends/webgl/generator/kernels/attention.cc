// FusedAttention (params::FusedAttention, made by the fuse_attention rule): Y = softmax(epilogue(Q . K')) . V
// over the scores' last axis, Q [..., S, D], K' [..., D, T], V [..., T, Dv], Y [..., S, Dv]. No
// texture holds the S x T scores (54 MB for Whisper's 6 x 1500 x 1500, twice with the
// probabilities): a fragment keeps its query row's running maximum m, the running sum l of
// exp(score - m) and its output texels, rescaled whenever m grows, and divides by l at the end (the
// online softmax of flash attention).
//
// A fragment takes one query row and L = min(8, Dv/4) output texels of it (the layers of Y's
// layout, L render targets), four keys per step: D texel reads of K' give the four scores (K''s
// keys are packed), 4L texel reads of V their share of the L texels. Rows of more than 4L columns
// take several fragments, each computing the scores again (heads of 64: twice; 128: four times),
// which still costs less than storing the scores and reading them back through Softmax's passes (SwiftShader,
// `node bench/run.mjs --rows whisper_tiny_encoder:webgl,bert_tiny_dyn:webgl --engines webdnn`, then
// with --convert-args "--disable-rule fuse_attention": Whisper 26.9 s a run against 85.9, BERT-tiny
// 105 ms against 160).
#include <sstream>

#include "backends/webgl/generator/kernels/kernels.h"
#include "webdnn/error.h"

namespace webdnn::backends::webgl {
namespace {

// A layer (render target) per texel of V's row, at most kMaxLayers.
int64_t out_layers(int64_t dv) { return std::min<int64_t>(kMaxLayers, next_pow2(ceil_div(dv, 4))); }

// Y: row-major, Dv packed and padded to whole fragments, L layers.
void attention_layouts(const ir::Operator& op, Program& p) {
  const Shape& y = op.outputs[0]->shape;
  std::vector<int> order;
  for (int a = 0; a < static_cast<int>(y.size()); a++) order.push_back(a);
  Layout l = ordered_layout(y, order, static_cast<int>(y.size()) - 1);
  l.layers = static_cast<int>(out_layers(y.back()));
  l.dims.back().extent = ceil_div(l.dims.back().extent, l.layers) * l.layers;
  request_layout(p, op.outputs[0], l);
}

// Q, K' and V read fastest row-major (their last axes packed): asked before their producers
// choose (rank-4 tensors would take the image layout, whose rows are no texels).
void attention_inputs(const ir::Operator& op, Program& p) {
  for (const ir::Variable* x : {op.inputs[0], op.inputs[1], op.inputs[2]}) request_layout(p, x, flat_layout(x->shape));
}

void fused_attention(const ir::Operator& op, Program& p) {
  const ir::Variable *qv = op.inputs[0], *kv = op.inputs[1], *vv = op.inputs[2], *yv = op.outputs[0];
  if (yv->size() == 0) return;
  const int r = yv->rank();
  const int64_t D = qv->shape.back(), T = kv->shape.back(), Dv = vv->shape.back(), T4 = ceil_div(T, 4);
  const int q = p.var(qv), kt = p.var(kv), v = p.var(vv), y = p.var(yv);
  const Layout &yl = p.at(y).layout, &kl = p.at(kt).layout, &vl = p.at(v).layout;
  const int64_t L = yl.layers;
  WEBDNN_CHECK(yl.packed == r - 1 && yl.texel_extent(r - 1) % L == 0, "FusedAttention '", op.name, "': unexpected output layout");
  Kernel k(p, op, y);
  const std::string row = "c" + std::to_string(r - 2), col = "c" + std::to_string(r - 1);
  // Coordinates of entry (i, j) of the output's batch c0.. (of the scores: j a key), and of
  // operand `var` there (broadcast).
  auto entry = [&](const std::string& i, const std::string& j) {
    Coords c = k.out_coords();
    c[static_cast<size_t>(r - 2)] = i;
    c[static_cast<size_t>(r - 1)] = j;
    return c;
  };
  auto operand_at = [&](int var, const std::string& i, const std::string& j) { return k.broadcast(var, entry(i, j)); };
  // K''s four keys at depth d (a literal): one texel where its keys are packed.
  const bool k_packed = kl.packed == kv->rank() - 1;
  auto keys = [&](int64_t d) {
    if (k_packed) return k.texel(kt, "kt + " + glsl_int(d * kl.stride(kv->rank() - 2)));
    return k.vec4_along(kt, operand_at(kt, std::to_string(d), "t"), kv->rank() - 1);
  };
  // Key t + j (a literal j), clamped to T - 1 in a partial last step: its weight is 0 there, but
  // whatever lies past V in its texture might be infinite.
  auto key = [&](int64_t j) {
    return T4 * 4 == T || j == 0 ? "t + " + std::to_string(j) : "min(t + " + std::to_string(j) + ", " + glsl_int(T - 1) + ")";
  };
  // V's texel of key t + j and columns 4 (j4 + l): one texel where its columns are packed (vtj is
  // the texel of key t + j, columns j4).
  const bool v_packed = vl.packed == vv->rank() - 1;
  auto values = [&](int64_t j, int64_t l) {
    if (v_packed) return k.texel(v, "vt" + std::to_string(j) + " + " + std::to_string(l));
    return k.vec4_along(v, operand_at(v, key(j), "(j4 + " + std::to_string(l) + ") * 4"), vv->rank() - 1);
  };
  const std::string lowest = glsl_float(-3.4028234663852886e38);
  std::ostringstream s;
  s << "void main() {\n  int q = int(gl_FragCoord.y) * " << glsl_int(yl.width) << " + int(gl_FragCoord.x);\n";
  s << "  if (q >= " << glsl_int(yl.planes()) << ") {";
  for (int64_t l = 0; l < L; l++) s << " o" << l << " = vec4(0.0);";
  s << " return; }\n" << k.decode("q * " + std::to_string(L));
  s << "  int j4 = " << col << " >> 2;\n";
  for (int64_t c = 0; c < ceil_div(D, 4); c++)
    s << "  vec4 q" << c << " = " << k.vec4_along(q, operand_at(q, row, std::to_string(4 * c)), qv->rank() - 1) << ";\n";
  s << "  float m = " << lowest << ", l = 0.0;\n";
  for (int64_t l = 0; l < L; l++) s << "  vec4 a" << l << " = vec4(0.0);\n";
  s << "  for (int t4 = 0; t4 < " << glsl_int(T4) << "; t4++) {\n    int t = t4 * 4;\n";
  if (k_packed) s << "    int kt = " << k.index(kt, operand_at(kt, "0", "t")) << ";\n";
  if (v_packed)
    for (int64_t j = 0; j < 4; j++) s << "    int vt" << j << " = " << k.index(v, operand_at(v, key(j), "j4 * 4")) << ";\n";
  s << "    vec4 x = vec4(0.0);\n";
  for (int64_t d = 0; d < D; d++) s << "    x += q" << d / 4 << "." << "xyzw"[d % 4] << " * " << keys(d) << ";\n";
  std::string code;
  const std::string scored = epilogue(k, op, 3, "x", entry(row, "t"), false, code);
  s << code << "    vec4 sc = " << scored << ";\n";
  // A partial last step: its keys past T score the lowest float and weigh 0.
  const std::string keys_in = "lessThan(ivec4(t) + ivec4(0, 1, 2, 3), ivec4(" + glsl_int(T) + "))";
  if (T4 * 4 != T) s << "    sc = mix(vec4(" << lowest << "), sc, " << keys_in << ");\n";
  s << "    float top = max(m, max(max(sc.x, sc.y), max(sc.z, sc.w)));\n";
  s << "    float shrink = exp(m - top);\n    vec4 pe = exp(sc - top);\n";
  if (T4 * 4 != T) s << "    pe = mix(vec4(0.0), pe, " << keys_in << ");\n";
  s << "    l = l * shrink + dot(pe, vec4(1.0));\n    m = top;\n";
  for (int64_t l = 0; l < L; l++) {
    s << "    a" << l << " = a" << l << " * shrink";
    for (int64_t j = 0; j < 4; j++) s << " + pe." << "xyzw"[j] << " * " << values(j, l);
    s << ";\n";
  }
  s << "  }\n";
  // Columns past Dv (a partial last texel, whole texels padding the row to L) stay 0.
  for (int64_t l = 0; l < L; l++)
    s << "  o" << l << " = mix(vec4(0.0), a" << l << " / l, lessThan(ivec4(" << col << " + " << 4 * l
      << ") + ivec4(0, 1, 2, 3), ivec4(" << glsl_int(Dv) << ")));\n";
  s << "}\n";
  k.custom_main(s.str());
  k.finish();
}

}  // namespace

static KernelRegistration attention_registration(KernelEntry{fused_attention, attention_layouts, attention_inputs},
                                                 {"FusedAttention"});

}  // namespace webdnn::backends::webgl
