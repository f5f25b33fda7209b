// Scaled dot-product attention and rotary embeddings built from IR operators (MatMul, Softmax,
// Transpose, Reshape, Where, ...), shared by ONNX's Attention and RotaryEmbedding (opset 23) and
// onnxruntime's com.microsoft attention operators. Every backend runs the composition, and a
// fused-attention rule has one pattern to recognize whatever operator the model used:
//   MatMul(q, Transpose(k)) -> Mul(scale) [-> softcap] [-> Add(bias)] [-> Where(allowed)] -> Softmax -> MatMul(v)
#pragma once
#include "src/frontend/onnx/node_context.h"

namespace webdnn::onnx_frontend {

// The size of axis `axis` of `x`, which must be a number (`what` says who needs it).
int64_t fixed_dim(const ir::Variable* x, int axis, const char* what);
// Throws unless past_key and past_value, when given, are [batch, `heads`, past_sequence, head_size].
void check_past(const ir::Variable* past_k, const ir::Variable* past_v, const char* heads);
// x[..., begin:end] along the last axis.
ir::Variable* last_axis(NodeContext& ctx, ir::Variable* x, int64_t begin, int64_t end);

// For onnxruntime's operators: refusals that name the input or attribute, the head counts (a
// required positive attribute) and the scale (the attribute, else 1 / sqrt(head size)).
void refuse_input(NodeContext& ctx, size_t i, const char* what);
void refuse_attr(NodeContext& ctx, const char* attr, int64_t usual);
int64_t heads_attr(NodeContext& ctx, const char* attr);
double scale_for(NodeContext& ctx, int64_t head);

// [B, S, heads*D] -> [B, heads, S, D], and back.
ir::Variable* split_heads(NodeContext& ctx, ir::Variable* x, int64_t heads, const char* what);
ir::Variable* merge_heads(NodeContext& ctx, ir::Variable* x);
// [B, kv, T, D] -> [B, kv*reps, T, D], each head repeated reps times in a row (grouped-query
// attention: query head h reads key head h / reps).
ir::Variable* repeat_heads(NodeContext& ctx, ir::Variable* x, int64_t reps);

// int64 start, start+1, ..., start+n-1 laid along axis `axis` of a rank-`rank` tensor (the other
// axes 1): a constant when the sizes are numbers, the IR's Range otherwise.
ir::Variable* positions(NodeContext& ctx, const Dim& start, const Dim& n, int axis, int rank);
// bool [S, T]: query i sees key j iff j <= i + offset (causal, the queries being the last S of
// offset + S positions).
ir::Variable* causal(NodeContext& ctx, const Dim& s, const Dim& t, const Dim& offset);
// a && b where either may be absent.
ir::Variable* both(NodeContext& ctx, ir::Variable* a, ir::Variable* b);

struct AttentionSpec {
  double scale = 1;
  double softcap = 0;               // > 0: softcap * tanh(scores / softcap), before the bias and mask
  ir::Variable* bias = nullptr;     // float, added to the scores (broadcast to [B, H, S, T])
  ir::Variable* allowed = nullptr;  // bool, broadcast likewise: false keys are left out entirely
};
// What exporters may ask for besides the result: scale * q k^T, and the softmax of the scores.
struct AttentionScores {
  ir::Variable* raw = nullptr;
  ir::Variable* probs = nullptr;
};
// softmax(scores) v with q [B, H, S, D], k [B, H, T, D], v [B, H, T, Dv] -> [B, H, S, Dv].
ir::Variable* attend(NodeContext& ctx, ir::Variable* q, ir::Variable* k, ir::Variable* v, const AttentionSpec& spec,
                     AttentionScores* scores = nullptr);

// The rotary embedding of x (4-D, the head's features last) by angles whose cos and sin
// broadcast against x[..., :rotary_dim / 2]. The first rotary_dim features rotate, as halves
// (x1 = first half, x2 = second) or interleaved (x1 = even, x2 = odd features); the rest pass.
ir::Variable* rotate(NodeContext& ctx, ir::Variable* x, ir::Variable* cos, ir::Variable* sin, int64_t rotary_dim,
                     bool interleaved);

}  // namespace webdnn::onnx_frontend
