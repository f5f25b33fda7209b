#include "src/optimizer/rule.h"

#include "webdnn/error.h"

namespace webdnn::optimizer {

GroupReport run_group(ir::Graph& graph, const RuleGroup& group, const OptimizeOptions& options) {
  ir::DimScope dims(graph);
  GroupReport report;
  report.group = group.name;
  report.operators_before = graph.num_operators();
  auto enabled = [&](const char* name) { return options.level > 0 && !options.disabled.count(name); };
  auto check = [&](const char* name) {
    if (!options.validate) return;
    try {
      ir::validate(graph);
    } catch (const Error& e) {
      fail("the graph is broken after rule '", name, "': ", e.what());
    }
  };
  bool changed = true;
  // A bound keeps a pair of rules that undo each other from looping forever.
  for (int round = 0; changed && round < 1000; round++) {
    changed = false;
    for (ir::Operator* op : graph.topological_order()) {
      if (!graph.contains(op)) continue;  // removed by an earlier rewrite of this round
      for (const auto& rule : group.rules) {
        if (!(rule->required() || enabled(rule->name())) || !rule->rewrite(graph, op)) continue;
        report.applied[rule->name()]++;
        check(rule->name());
        changed = true;
        break;
      }
    }
    if (changed) graph.prune();
  }
  for (const auto& pass : group.passes) {
    if (!enabled(pass->name())) continue;
    pass->run(graph);
    report.applied[pass->name()]++;
    check(pass->name());
  }
  report.operators_after = graph.num_operators();
  return report;
}

}  // namespace webdnn::optimizer
