#include "src/optimizer/layout.h"

#include <map>

#include "src/optimizer/rewrite.h"

namespace webdnn::optimizer {

Order row_major(int rank) {
  Order o(static_cast<size_t>(rank));
  for (int i = 0; i < rank; i++) o[static_cast<size_t>(i)] = i;
  return o;
}

Tensor to_memory_order(const Tensor& t, const Order& order) {
  Tensor out = t;
  Shape strides = contiguous_strides(t.shape);
  Shape permuted_shape(order.size());
  for (size_t i = 0; i < order.size(); i++) permuted_shape[i] = t.shape[order[i]];
  size_t elem = dtype_size(t.dtype);
  std::vector<int64_t> index(order.size(), 0);
  for (int64_t i = 0; i < t.size(); i++) {
    int64_t src = 0;
    for (size_t d = 0; d < order.size(); d++) src += index[d] * strides[order[d]];
    std::copy_n(t.bytes.data() + src * elem, elem, out.bytes.data() + i * elem);
    for (size_t d = order.size(); d-- > 0;) {
      if (++index[d] < permuted_shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

namespace {

bool same_order_in_memory(const ir::Variable& v, const Order& order) {
  ir::Variable probe;
  probe.shape = v.shape;
  probe.order = order;
  return same_layout(v, probe);
}

class LayoutSelection : public Pass {
 public:
  explicit LayoutSelection(LayoutPolicy policy) : policy_(std::move(policy)) {}
  const char* name() const override { return "layout_selection"; }

  void run(ir::Graph& graph) override {
    for (ir::Operator* op : graph.topological_order()) {
      LayoutRequest request = policy_(*op);
      request.inputs.resize(op->inputs.size());
      request.outputs.resize(op->outputs.size());
      for (size_t k = 0; k < op->outputs.size(); k++) choose_output_order(*op, k, request.outputs[k]);
      for (size_t k = 0; k < op->inputs.size(); k++) {
        std::optional<Order> want = request.inputs[k];
        const ir::Variable* in = op->inputs[k];
        // Inputs shaped like the output follow it, so elementwise work runs on matching layouts.
        if (!want && identical(in->dims, op->outputs[0]->dims) && !in->is_constant()) want = op->outputs[0]->order;
        if (want && !same_order_in_memory(*in, *want)) graph.set_input(op, k, convert(graph, op->inputs[k], *want));
      }
    }
    restore_outputs(graph);
  }

 private:
  // A requested order; else the order of the first non-constant input of the same shape, or
  // failing that of the same axes (Pad, Resize, Concat keep the layout of what they read);
  // else row-major.
  void choose_output_order(const ir::Operator& op, size_t k, const std::optional<Order>& wanted) {
    ir::Variable* out = op.outputs[k];
    Order order = default_order(*out);
    const ir::Variable* same_axes = nullptr;
    bool found = false;
    if (wanted) {
      order = *wanted;
      found = true;
    }
    for (const ir::Variable* in : op.inputs) {
      if (found || in->is_constant()) continue;
      if (identical(in->dims, out->dims)) {  // the dims, not their sample sizes: free ones may differ
        order = in->order;
        found = true;
      } else if (!same_axes && in->axes == out->axes) {
        same_axes = in;
      }
    }
    if (!found && same_axes) order = same_axes->order;
    out->order = order;
  }

  // `v` in `order`: constants are rewritten offline, others go through one conversion
  // (a Relayout), shared by every reader.
  ir::Variable* convert(ir::Graph& graph, ir::Variable* v, const Order& order) {
    auto key = std::make_pair(v, order);
    auto it = converted_.find(key);
    if (it != converted_.end()) return it->second;
    ir::Variable* c;
    if (v->is_constant()) {
      c = add_constant(graph, v->name, to_memory_order(v->logical_data(), order));
      c->order = order;
    } else {
      c = graph.add_variable(graph.unique_name(v->name + ":relayout"), v->dtype, v->shape);
      c->axes = v->axes;
      c->order = order;
      graph.add_operator("Relayout", c->name, Json::object(), {v}, {c});
    }
    converted_[key] = c;
    return c;
  }

  void restore_outputs(ir::Graph& graph) {
    for (ir::Variable*& out : graph.outputs) {
      if (same_order_in_memory(*out, default_order(*out))) continue;
      ir::Variable* plain = graph.add_variable(out->name, out->dtype, out->shape);
      plain->axes = out->axes;
      out->name = graph.unique_name(out->name + ":relayout");
      graph.add_operator("Relayout", plain->name, Json::object(), {out}, {plain});
      out = plain;
    }
  }

  static Order default_order(const ir::Variable& v) { return row_major(v.rank()); }

  LayoutPolicy policy_;
  std::map<std::pair<ir::Variable*, Order>, ir::Variable*> converted_;
};

}  // namespace

std::unique_ptr<Pass> layout_selection(LayoutPolicy policy) {
  return std::make_unique<LayoutSelection>(std::move(policy));
}

}  // namespace webdnn::optimizer
