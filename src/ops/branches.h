// Which operators need not run: an If on a condition known only at run time is imported as both
// branches and a Where on that one-value condition (frontend/onnx/handlers/control.cc); an
// operator whose results only one side of such a Where reads, directly or through other such
// operators, is wasted work when the condition picks the other side, and may fail on inputs its
// branch was not meant for. A runtime that runs operators one by one on the CPU skips it.
#pragma once
#include <unordered_map>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::ops {

// The operator runs only when `condition` (a bool of one value) is `value`.
struct Branch {
  const ir::Variable* condition = nullptr;
  bool value = true;
  bool operator==(const Branch& o) const { return condition == o.condition && value == o.value; }
};

// `schedule` (a topological order) with the operators that such conditions depend on moved as
// early as their inputs allow, so that branches scheduled before them can be skipped.
std::vector<ir::Operator*> conditions_first(const std::vector<ir::Operator*>& schedule);

// The operators of `schedule` that belong to one branch, each after its condition's producer
// there. One that finds a size known only at run time (a data symbol) is never skipped: later
// shapes need it.
std::unordered_map<const ir::Operator*, Branch> branches(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule);

}  // namespace webdnn::ops
