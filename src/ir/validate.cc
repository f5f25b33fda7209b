#include <algorithm>
#include <set>

#include "src/ir/graph.h"
#include "webdnn/error.h"

namespace webdnn::ir {

void validate(const Graph& graph) {
  std::set<const Variable*> known;
  for (Variable* v : graph.variables()) {
    known.insert(v);
    if (v->is_constant()) {
      WEBDNN_CHECK(v->data->dtype == v->dtype && v->data->size() == v->size(), "constant '", v->name,
                   "' holds data that does not match its dtype and shape ", shape_to_string(v->shape));
      WEBDNN_CHECK(!v->producer, "constant '", v->name, "' also has a producer");
    }
    WEBDNN_CHECK(v->axes.size() == v->shape.size() && v->order.size() == v->shape.size(), "variable '",
                 v->name, "' has axes or order of the wrong rank");
    std::vector<int> sorted = v->order;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); i++)
      WEBDNN_CHECK(sorted[i] == static_cast<int>(i), "variable '", v->name, "' has an order that is not a permutation");
    for (int64_t d : v->shape) WEBDNN_CHECK(d >= 0, "variable '", v->name, "' has a negative dimension");
    // shape holds the dims' hints: code that changes one must change the other (set_shape, set_dims).
    bool hints = v->dims.size() == v->shape.size();
    for (size_t i = 0; hints && i < v->dims.size(); i++) hints = v->dims[i].hint() == v->shape[i];
    WEBDNN_CHECK(hints, "variable '", v->name, "' has shape ", shape_to_string(v->shape), " but dims ",
                 shape_to_string(v->dims));
    WEBDNN_CHECK(!v->is_constant() || v->is_static(), "constant '", v->name, "' has symbolic dims");
  }
  std::vector<Operator*> order = graph.topological_order();  // throws on a cycle
  for (Operator* op : order) {
    for (Variable* in : op->inputs) {
      if (!in) continue;
      WEBDNN_CHECK(known.count(in), "operator '", op->name, "' reads a variable not in the graph");
      WEBDNN_CHECK(std::count(in->consumers.begin(), in->consumers.end(), op) ==
                       std::count(op->inputs.begin(), op->inputs.end(), in),
                   "operator '", op->name, "' is not among the consumers of '", in->name, "'");
    }
    for (Variable* out : op->outputs) {
      WEBDNN_CHECK(known.count(out), "operator '", op->name, "' writes a variable not in the graph");
      WEBDNN_CHECK(out->producer == op, "variable '", out->name, "' is produced by more than one operator");
    }
    // Shapes consistent: the schema's inference must reproduce what the graph holds.
    std::vector<std::pair<DType, DimShape>> held;
    for (Variable* out : op->outputs) held.emplace_back(out->dtype, out->dims);
    std::vector<std::vector<std::string>> axes;
    std::vector<std::vector<int>> orders;
    for (Variable* out : op->outputs) {
      axes.push_back(out->axes);
      orders.push_back(out->order);
    }
    try {
      infer_outputs(*op);
    } catch (const Error& e) {
      fail("operator '", op->name, "' (", op->type, "): ", e.what());
    }
    for (size_t i = 0; i < op->outputs.size(); i++) {
      Variable* out = op->outputs[i];
      DType inferred_dtype = out->dtype;
      DimShape inferred_shape = out->dims;
      bool same = inferred_dtype == held[i].first && inferred_shape.size() == held[i].second.size();
      for (size_t d = 0; same && d < inferred_shape.size(); d++) same = identical(inferred_shape[d], held[i].second[d]);
      out->dtype = held[i].first;
      out->set_dims(held[i].second);
      out->axes = axes[i];
      out->order = orders[i];
      WEBDNN_CHECK(same, "operator '", op->name, "' (", op->type, ") output '", out->name, "' is ",
                   dtype_name(held[i].first), shape_to_string(held[i].second), " but its inputs give ",
                   dtype_name(inferred_dtype), shape_to_string(inferred_shape));
    }
  }
  for (Variable* out : graph.outputs)
    WEBDNN_CHECK(known.count(out), "a graph output is not in the graph");
  for (Variable* in : graph.inputs)
    WEBDNN_CHECK(!in->producer && !in->is_constant(), "graph input '", in->name, "' is computed");
}

}  // namespace webdnn::ir
