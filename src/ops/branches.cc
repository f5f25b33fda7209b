#include "src/ops/branches.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_set>

#include "src/ops/schema.h"

namespace webdnn::ops {
namespace {

// The side of `op` that its input `slot` is, when `op` is a Where picking whole tensors by one
// run-time bool.
std::optional<Branch> side_of_where(const ir::Operator& op, size_t slot) {
  if (op.type != "Where" || slot == 0) return std::nullopt;
  const ir::Variable* c = op.inputs[0];
  if (c->is_constant() || c->dtype != DType::Bool || !identical(num_elements(c->dims), Dim(1))) return std::nullopt;
  return Branch{c, slot == 1};
}

}  // namespace

std::vector<ir::Operator*> conditions_first(const std::vector<ir::Operator*>& schedule) {
  std::unordered_map<const ir::Operator*, size_t> position;
  for (size_t i = 0; i < schedule.size(); i++) position[schedule[i]] = i;
  // What the conditions are computed from.
  std::unordered_set<const ir::Operator*> early;
  std::vector<const ir::Operator*> work;
  for (const ir::Operator* op : schedule)
    if (side_of_where(*op, 1) && op->inputs[0]->producer) work.push_back(op->inputs[0]->producer);
  while (!work.empty()) {
    const ir::Operator* op = work.back();
    work.pop_back();
    if (!early.insert(op).second) continue;
    for (const ir::Variable* v : op->inputs)
      if (v && v->producer) work.push_back(v->producer);
  }
  if (early.empty()) return schedule;
  // Kahn's order, the ready operator taken first that conditions need, then by its old place.
  std::unordered_map<const ir::Operator*, int> waiting;
  for (const ir::Operator* op : schedule)
    for (const ir::Variable* v : op->inputs)
      if (v && v->producer && position.count(v->producer)) waiting[op]++;
  auto rank = [&](const ir::Operator* op) { return std::pair{early.count(op) ? 0 : 1, position.at(op)}; };
  std::set<std::pair<std::pair<int, size_t>, ir::Operator*>> ready;
  for (ir::Operator* op : schedule)
    if (!waiting[op]) ready.insert({rank(op), op});
  std::vector<ir::Operator*> order;
  while (!ready.empty()) {
    ir::Operator* op = ready.begin()->second;
    ready.erase(ready.begin());
    order.push_back(op);
    std::unordered_set<ir::Operator*> readers;
    for (const ir::Variable* v : op->outputs)
      if (v) readers.insert(v->consumers.begin(), v->consumers.end());
    for (ir::Operator* reader : readers)
      for (const ir::Variable* in : reader->inputs)
        if (in && in->producer == op && --waiting[reader] == 0) ready.insert({rank(reader), reader});
  }
  return order;
}

std::unordered_map<const ir::Operator*, Branch> branches(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule) {
  std::unordered_map<const ir::Operator*, size_t> position;
  for (size_t i = 0; i < schedule.size(); i++) position[schedule[i]] = i;
  std::unordered_map<const ir::Operator*, Branch> found;
  // Readers come later in the schedule: from the end, each operator's readers are known.
  for (size_t i = schedule.size(); i-- > 0;) {
    const ir::Operator* op = schedule[i];
    if (schema_of(op->type).capacity) continue;
    std::optional<Branch> branch;
    bool one = true;
    for (const ir::Variable* v : op->outputs) {
      if (!v) continue;
      one = one && std::find(graph.outputs.begin(), graph.outputs.end(), v) == graph.outputs.end() && !v->consumers.empty();
      for (const ir::Operator* reader : v->consumers)
        for (size_t slot = 0; one && slot < reader->inputs.size(); slot++) {
          if (reader->inputs[slot] != v) continue;
          std::optional<Branch> b = side_of_where(*reader, slot);
          if (!b && found.count(reader)) b = found.at(reader);
          one = b && (!branch || *branch == *b);
          if (one) branch = b;
        }
    }
    if (!one || !branch) continue;
    // The condition must be known when the operator's turn comes.
    const ir::Operator* decides = branch->condition->producer;
    if (decides && (!position.count(decides) || position.at(decides) >= i)) continue;
    found[op] = *branch;
  }
  return found;
}

}  // namespace webdnn::ops
