// Matches: scaled dot-product attention as it reaches a backend, the scale and mask folded into
// the first product's epilogue by the shared rules: P = Softmax(MatMul(Q, K')) along the scores'
// last axis, then MatMul(P, V) without an epilogue; the scores and P read by nothing else, one
// score matrix per batch of the result (V may broadcast), everything float32.
// Rewrites: FusedAttention(Q, K', V, the first product's extras) with its epilogue, writing the
// result, for a backend whose kernel keeps only a block of the scores at a time (wasm, WebGPU, WebGL). Free
// dimensions do not stop it: only ranks and the sameness of batch axes are looked at, and, where
// the backend limits them, the head sizes (Q's and V's last axes), and for heads above a backend's
// `small_head` the size of the scores (fused only where they take `large_scores` bytes or more, or
// their size is free: there the unfused kernels may be faster but must store them whole).
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// The operator reading `v` when it is the only one and `v` is no graph output.
ir::Operator* only_reader(const ir::Graph& graph, const ir::Variable* v) {
  return single_use(graph, v) ? v->consumers[0] : nullptr;
}

bool batched_float_matrix(const ir::Variable* v) { return v->rank() >= 2 && v->dtype == DType::Float32; }

// Whether a head size `d` is known to be at most `limit` (0: no limit).
bool within(const Dim& d, int64_t limit) { return limit == 0 || (d.is_constant() && d.value() <= limit); }

class FuseAttention : public Rule {
 public:
  FuseAttention(int64_t max_head, int64_t small_head, int64_t large_scores)
      : max_head_(max_head), small_head_(small_head), large_scores_(large_scores) {}
  const char* name() const override { return "fuse_attention"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->type != "Softmax") return false;
    ir::Variable *scores = op->inputs[0], *probs = op->outputs[0];
    if (params::Axis::parse(op->params).axis != scores->rank() - 1) return false;
    ir::Operator* first = scores->producer;
    ir::Operator* second = only_reader(graph, probs);
    if (!first || first->type != "MatMul" || !only_reader(graph, scores) || !second || second->type != "MatMul" ||
        second->inputs.size() != 2 || second->inputs[0] != probs || second->inputs[1] == probs)
      return false;
    ir::Variable *q = first->inputs[0], *k = first->inputs[1], *v = second->inputs[1], *y = second->outputs[0];
    for (const ir::Variable* t : {q, k, v, scores, y})
      if (!batched_float_matrix(t)) return false;
    if (!within(q->dims.back(), max_head_) || !within(v->dims.back(), max_head_)) return false;
    const bool small = within(q->dims.back(), small_head_) && within(v->dims.back(), small_head_);
    if (!small && scores->is_static() && scores->size() * 4 < large_scores_) return false;
    const DimShape batch(scores->dims.begin(), scores->dims.end() - 2);
    if (y->rank() != scores->rank() || !identical(batch, DimShape(y->dims.begin(), y->dims.end() - 2))) return false;
    std::vector<ir::Variable*> inputs = {q, k, v};
    inputs.insert(inputs.end(), first->inputs.begin() + 2, first->inputs.end());
    Json params = params::FusedAttention{params::MatMul::parse(first->params).epilogue}.to_json();
    const std::string name = second->name;
    graph.remove_operator(second);
    graph.remove_operator(op);
    graph.remove_operator(first);
    graph.add_operator("FusedAttention", name, params, inputs, {y});
    return true;
  }

 private:
  int64_t max_head_, small_head_, large_scores_;
};

}  // namespace

std::unique_ptr<Rule> fuse_attention(int64_t max_head, int64_t small_head, int64_t large_scores) {
  return std::make_unique<FuseAttention>(max_head, small_head, large_scores);
}

}  // namespace webdnn::optimizer::rules
