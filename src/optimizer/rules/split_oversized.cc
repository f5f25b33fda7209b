// Matches: an operator with an input larger than the backend can bind (max_bytes), along whose
// output some Tensorwise axis that input can be cut (Traits::split_inputs, or broadcasting
// alignment for elementwise operators).
// Rewrites: k copies of the operator, each computing a slice of the output from slices of its
// inputs (constant slices cut now), joined by a Concat. VGG16's 400 MB fully-connected weight
// becomes four bindable pieces this way.
// Left alone: outputs that are too large themselves; splitting the operator would not shrink the
// joined result, so the backend must cope (or the conversion fails later with a clear message).
#include <algorithm>

#include "src/ops/evaluate.h"
#include "src/optimizer/rewrite.h"
#include "src/optimizer/rules/rules.h"

namespace webdnn::optimizer::rules {
namespace {

// The input axis cut along output `axis`, -1 if the input is needed whole.
int input_axis(const ops::Traits& t, const ir::Operator& op, size_t input, int axis) {
  auto it = t.split_inputs.find(axis);
  int a = it != t.split_inputs.end() ? (input < it->second.size() ? it->second[input] : -1)
                                     : ops::aligned_axis(*op.inputs[input], *op.outputs[0], axis);
  if (a >= 0 && op.inputs[input]->shape[a] != op.outputs[0]->shape[axis]) return -1;  // broadcast
  return a;
}

Json slice_params(const ir::Variable& v, int axis, int64_t lo, int64_t hi) {
  std::vector<int64_t> starts(v.rank(), 0), ends(v.shape.begin(), v.shape.end()), steps(v.rank(), 1);
  starts[axis] = lo;
  ends[axis] = hi;
  return params::Slice{DimShape(starts.begin(), starts.end()), DimShape(ends.begin(), ends.end()), steps}.to_json();
}

class SplitOversized : public Rule {
 public:
  explicit SplitOversized(int64_t max_bytes) : max_bytes_(max_bytes) {}
  const char* name() const override { return "split_oversized"; }

  bool rewrite(ir::Graph& graph, ir::Operator* op) override {
    if (op->outputs.size() != 1 || op->type == "Concat" || op->type == "Slice") return false;
    int64_t worst = 0;
    for (const ir::Variable* v : op->inputs) worst = std::max(worst, v->bytes());
    if (worst <= max_bytes_) return false;
    ops::Traits t = ops::traits_of(*op);
    ir::Variable* out = op->outputs[0];
    // The tensorwise axis that cuts every oversized input, the longest such.
    int axis = -1;
    for (int a : t.tensorwise) {
      if (!t.elementwise && !t.split_inputs.count(a)) continue;
      bool cuts_all = true;
      for (size_t i = 0; i < op->inputs.size(); i++)
        if (op->inputs[i]->bytes() > max_bytes_ && input_axis(t, *op, i, a) < 0) cuts_all = false;
      if (cuts_all && (axis < 0 || out->shape[a] > out->shape[axis])) axis = a;
    }
    if (axis < 0) return false;
    int64_t pieces = (worst + max_bytes_ - 1) / max_bytes_, extent = out->shape[axis];
    if (pieces > extent) return false;
    std::vector<ir::Variable*> parts;
    for (int64_t p = 0; p < pieces; p++) {
      int64_t lo = extent * p / pieces, hi = extent * (p + 1) / pieces;
      std::vector<ir::Variable*> inputs;
      for (size_t i = 0; i < op->inputs.size(); i++) {
        ir::Variable* in = op->inputs[i];
        int a = input_axis(t, *op, i, axis);
        inputs.push_back(a < 0 ? in : slice(graph, op->name + ":part" + std::to_string(p), in, a, lo, hi));
      }
      Json params = op->params;
      if (params.contains("shape")) params["shape"][axis] = hi - lo;  // a broadcast target
      parts.push_back(graph.add_operator(op->type, op->name + ":part" + std::to_string(p), params, inputs, 1)->output());
    }
    std::vector<ir::Variable*> outputs = {out};
    std::string name = op->name;
    graph.remove_operator(op);
    graph.add_operator("Concat", name, params::Axis{axis}.to_json(), parts, outputs);
    return true;
  }

 private:
  // in[lo:hi] along `axis`: cut now for a constant, by a Slice otherwise.
  static ir::Variable* slice(ir::Graph& graph, const std::string& name, ir::Variable* in, int axis, int64_t lo, int64_t hi) {
    Json params = slice_params(*in, axis, lo, hi);
    ir::Variable* piece = graph.add_operator("Slice", name, params, {in}, 1)->output();
    if (!in->is_constant()) return piece;
    ir::Operator* s = piece->producer;
    Tensor data = in->logical_data();
    Tensor cut = ops::evaluate(*s, {&data})[0];
    graph.remove_operator(s);
    piece->data = std::move(cut);
    return piece;
  }

  int64_t max_bytes_;
};

}  // namespace

std::unique_ptr<Rule> split_oversized(int64_t max_bytes) { return std::make_unique<SplitOversized>(max_bytes); }

}  // namespace webdnn::optimizer::rules
