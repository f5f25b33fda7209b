#include "src/ir/split.h"

#include <algorithm>
#include <set>

#include "webdnn/error.h"

namespace webdnn::ir {
namespace {

bool listed(const std::vector<Variable*>& list, const Variable* v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// Drops the symbols that none of the graph's values has in its dims, and the guards on them: the
// runtime wants a value for every symbol a descriptor declares.
void keep_used_symbols(Graph& g) {
  std::set<std::string> used;
  for (const Variable* v : g.variables())
    for (const Dim& d : v->dims)
      for (const std::string& s : d.symbols()) used.insert(s);
  for (auto it = g.symbols.begin(); it != g.symbols.end();) it = used.count(it->first) ? std::next(it) : g.symbols.erase(it);
  auto unknown = [&](const Guard& guard) {
    std::vector<std::string> names = guard.lhs.symbols();
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return !used.count(n); });
  };
  g.guards.erase(std::remove_if(g.guards.begin(), g.guards.end(), unknown), g.guards.end());
}

// Whether `v` has symbol `name` as a dimension of its own.
bool binds(const Variable* v, const std::string& name) {
  return std::any_of(v->dims.begin(), v->dims.end(), [&](const Dim& d) { return !d.is_constant() && d.to_string() == name; });
}

// Gives the tail the model inputs that bind the symbols its own inputs do not (a value carried
// from the head may have `height / 8` where the runtime needs `height` itself).
void bind_tail_symbols(const Graph& graph, Graph& tail) {
  for (const auto& symbol : tail.symbols) {
    const std::string& name = symbol.first;  // (a structured binding cannot be captured in C++17)
    auto bound = [&](const Variable* v) { return binds(v, name); };
    if (symbol.second.data || std::any_of(tail.inputs.begin(), tail.inputs.end(), bound)) continue;
    auto giver = std::find_if(graph.inputs.begin(), graph.inputs.end(), bound);
    WEBDNN_CHECK(giver != graph.inputs.end(), "the operators after the cut need the dimension '", name,
                 "', which no model input has as a dimension of its own");
    Variable* v = tail.find_variable((*giver)->name);
    if (!v) {  // pruned: the tail's operators do not read it
      v = tail.add_variable((*giver)->name, (*giver)->dtype, (*giver)->shape);
      v->set_dims((*giver)->dims);
    }
    tail.inputs.push_back(v);
  }
}

}  // namespace

Split split_graph(const Graph& graph, const std::function<bool(const Operator&)>& cut) {
  // Clones keep the operators' order, so positions in topological_order() match across them.
  const std::vector<Operator*> order = graph.topological_order();
  std::vector<bool> in_tail(order.size());
  std::set<const Variable*> tail_values;
  for (size_t i = 0; i < order.size(); i++) {
    const Operator& op = *order[i];
    in_tail[i] = cut(op) || std::any_of(op.inputs.begin(), op.inputs.end(), [&](const Variable* v) { return tail_values.count(v) > 0; });
    if (in_tail[i]) tail_values.insert(op.outputs.begin(), op.outputs.end());
  }
  Split split;
  if (tail_values.empty()) return split;
  std::vector<const Variable*> taken;  // model inputs and head values the tail reads, in order of first use
  for (size_t i = 0; i < order.size(); i++)
    for (const Variable* v : in_tail[i] ? order[i]->inputs : std::vector<Variable*>{})
      if (v && !v->is_constant() && !tail_values.count(v) && std::find(taken.begin(), taken.end(), v) == taken.end()) taken.push_back(v);
  for (const Variable* v : taken)
    if (!listed(graph.inputs, v)) split.carried.push_back(v->name);

  auto keep = [&](Graph& g, bool tail) {
    std::vector<Operator*> ops = g.topological_order();
    for (size_t i = 0; i < ops.size(); i++)
      if (in_tail[i] != tail) g.remove_operator(ops[i]);
  };
  auto head = graph.clone();
  keep(*head, false);
  std::vector<Variable*> outputs;
  for (const Variable* v : graph.outputs)
    if (!tail_values.count(v)) outputs.push_back(head->find_variable(v->name));
  for (const std::string& name : split.carried)
    if (!listed(outputs, head->find_variable(name))) outputs.push_back(head->find_variable(name));
  head->outputs = outputs;
  // A model input that only the tail reads is not the head's.
  head->inputs.erase(std::remove_if(head->inputs.begin(), head->inputs.end(),
                                    [&](const Variable* v) { return v->consumers.empty() && !listed(head->outputs, v); }),
                     head->inputs.end());
  head->prune();
  keep_used_symbols(*head);
  if (head->num_operators() > 0) split.head = std::move(head);

  auto tail = graph.clone();
  keep(*tail, true);
  std::vector<Variable*> inputs, tail_outputs;
  for (const Variable* v : graph.inputs)
    if (std::find(taken.begin(), taken.end(), v) != taken.end()) inputs.push_back(tail->find_variable(v->name));
  for (const std::string& name : split.carried) inputs.push_back(tail->find_variable(name));
  for (const Variable* v : graph.outputs)
    if (tail_values.count(v)) tail_outputs.push_back(tail->find_variable(v->name));
  tail->inputs = inputs;
  tail->outputs = tail_outputs;
  tail->prune();
  keep_used_symbols(*tail);
  bind_tail_symbols(graph, *tail);
  split.tail = std::move(tail);
  return split;
}

}  // namespace webdnn::ir
