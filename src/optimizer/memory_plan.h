// The IR's memory plan: the shared planner (runtime/core/memory_plan.h) over a graph's schedule.
#pragma once
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "runtime/core/memory_plan.h"
#include "src/ir/graph.h"

namespace webdnn::optimizer {

using plan::ArenaPlacement;
using plan::Block;
using plan::Lifetimes;
using plan::place_in_arena;
using plan::place_in_slots;
using plan::plan_lifetimes;
using plan::SlotPlacement;
using plan::Uses;

// The IR's arena plan, for backends that keep every intermediate variable in one buffer.
struct MemoryPlan {
  std::map<const ir::Variable*, int64_t> offsets;  // arena variables only (not constants)
  int64_t arena_bytes = 0;
  int64_t naive_bytes = 0;        // every intermediate in its own place
  int64_t lower_bound_bytes = 0;  // the most bytes alive at any one step
};

struct MemoryPlanOptions {
  int64_t alignment = 64;
  // Let an output take over an input's memory where the operator's Inplace trait allows it and
  // the input dies at that operator.
  bool inplace = true;
  // Bytes each element takes in memory; 0: its dtype's size. The WebGPU backend stores every
  // value as f32, bool and int8 tensors included.
  int64_t element_bytes = 0;
  // Operators whose output 0 is a view of their input 0, written by no kernel: its readers find
  // the input's elements through an index map (the WebGPU backend's transposes). Such an output
  // takes over the input's memory where the input dies there (the backend checks that it did),
  // and no operator takes over a view's memory in place: it would write over elements other
  // invocations still read at other indices.
  std::set<const ir::Operator*> views;
  // Plans only the variables it accepts (where set): a backend that keeps values of different
  // element types in arenas of their own (WebGPU's f16 program: floats as f16, integers as f32)
  // plans each arena alone. A handover between an accepted and another variable is left out.
  std::function<bool(const ir::Variable*)> select;
};

// Graph inputs stay intact for the whole run (a caller may run again without setting them anew);
// outputs live until the caller reads them.
MemoryPlan plan_memory(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule,
                       const MemoryPlanOptions& options = {});

}  // namespace webdnn::optimizer
