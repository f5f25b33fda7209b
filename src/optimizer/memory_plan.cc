#include "src/optimizer/memory_plan.h"

#include "src/ops/schema.h"

namespace webdnn::optimizer {
namespace {

int64_t align(int64_t n, int64_t a) { return (n + a - 1) / a * a; }

}  // namespace

MemoryPlan plan_memory(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule,
                       const MemoryPlanOptions& options) {
  // Values: the graph's inputs and every operator's outputs that are not constants.
  std::map<const ir::Variable*, int> value;
  std::vector<const ir::Variable*> variables;
  Uses uses;
  auto id = [&](const ir::Variable* v) {
    auto [it, fresh] = value.emplace(v, static_cast<int>(variables.size()));
    if (fresh) {
      variables.push_back(v);
      uses.sizes.push_back(align(options.element_bytes ? v->size() * options.element_bytes : v->bytes(), options.alignment));
    }
    return it->second;
  };
  auto in = [&](const ir::Variable* v) { return !options.select || options.select(v); };
  for (const ir::Variable* v : graph.inputs)
    if (in(v)) uses.inputs.push_back(id(v));
  std::set<const ir::Variable*> view_outputs;
  for (const ir::Operator* op : schedule) {
    Uses::Step step;
    for (const ir::Variable* x : op->inputs)
      if (x && !x->is_constant() && in(x)) step.reads.push_back(id(x));
    for (const ir::Variable* out : op->outputs)
      if (in(out)) step.writes.push_back(id(out));
    if (options.views.count(op)) {
      if (!op->inputs[0]->is_constant() && in(op->inputs[0]) && in(op->outputs[0])) step.handovers.emplace_back(id(op->inputs[0]), id(op->outputs[0]));
      view_outputs.insert(op->outputs[0]);
    } else if (options.inplace) {
      const ops::Traits traits = ops::traits_of(*op);
      for (size_t o = 0; o < op->outputs.size(); o++)
        for (auto [in_index, out_index] : traits.inplace) {
          const ir::Variable *x = op->inputs[in_index], *out = op->outputs[o];
          if (out_index != static_cast<int>(o) || !x || x->is_constant() || view_outputs.count(x) || !in(x) ||
              !in(out) || !ops::shares_memory(*op, traits, in_index, out_index))
            continue;
          step.handovers.emplace_back(id(x), id(out));
        }
    }
    uses.steps.push_back(std::move(step));
  }
  // Inputs stay intact for the whole run; outputs live until the caller reads them.
  for (const ir::Variable* v : graph.inputs)
    if (in(v)) uses.kept.push_back(id(v));
  for (const ir::Variable* v : graph.outputs)
    if (!v->is_constant() && in(v)) uses.kept.push_back(id(v));

  Lifetimes l = plan_lifetimes(uses);
  ArenaPlacement a = place_in_arena(l);
  MemoryPlan plan;
  plan.arena_bytes = a.size;
  plan.naive_bytes = a.naive;
  plan.lower_bound_bytes = a.lower_bound;
  for (size_t b = 0; b < l.blocks.size(); b++)
    for (int v : l.blocks[b].members) plan.offsets[variables[v]] = a.offsets[b];
  return plan;
}

}  // namespace webdnn::optimizer
