// Static memory planning, one planner for every backend.
//
// A backend describes its schedule as numbered values that steps read and write, in order
// (`Uses`). plan_lifetimes() finds when each value must stay intact and lets a value take over the
// storage of one that dies where it is written, when the backend allows it (in-place handover):
// the result is blocks of storage, each with its lifetime and the values it holds in turn. The
// blocks are then placed either at offsets in one arena (wasm, WebGPU: place_in_arena) or in
// slots shared by blocks of one shape class whose lifetimes do not overlap (WebGL, where a slot is
// a texture and the class its width and layers: place_in_slots). Lifetimes are closed intervals
// of steps, so a block never starts where another one that shares its place ends: storage written
// by a step is never storage it reads, except by a handover.
#pragma once
#include <map>
#include <utility>
#include <vector>

#include "src/ir/graph.h"

namespace webdnn::optimizer {

struct Uses {
  struct Step {
    std::vector<int> reads, writes;
    // (read value, written value): the written one may take over the read one's block if that
    // dies at this step; tried in this order.
    std::vector<std::pair<int, int>> handovers;
  };
  std::vector<int64_t> sizes;  // of each value, in the placement's unit (aligned bytes, texture rows)
  std::vector<int> classes;    // shape class of each value (slots); empty: all one class
  std::vector<int> inputs;     // alive before the first step, in this order
  std::vector<int> kept;       // alive after the last step (read by the caller)
  std::vector<Step> steps;
};

struct Block {
  int64_t size = 0;  // of its first value; later ones fit
  int first = 0, last = 0;  // steps it must stay intact for; -1: before the first, steps.size(): after the last
  int shape_class = 0;
  std::vector<int> members;  // values, in the order they hold it
};

struct Lifetimes {
  std::vector<Block> blocks;  // in the order they are first needed
  std::vector<int> block_of;  // of each value; -1 for one no step touches
};

Lifetimes plan_lifetimes(const Uses& uses);

struct ArenaPlacement {
  std::vector<int64_t> offsets;  // of each block
  int64_t size = 0;
  int64_t naive = 0;        // every block in its own place
  int64_t lower_bound = 0;  // the most alive at any one step
};

// Greedy by size: the largest blocks first, each at the lowest offset that overlaps no placed
// block alive at the same time.
ArenaPlacement place_in_arena(const Lifetimes& lifetimes);

struct SlotPlacement {
  std::vector<int> slot_of;  // of each block
  std::vector<int64_t> sizes;  // of each slot: its largest block
  std::vector<int> classes;    // of each slot
};

// Slots of one class shared by blocks whose lifetimes do not overlap, each as large as its largest
// block: the placement with the smaller total of two greedy orders (by first use, by size).
SlotPlacement place_in_slots(const Lifetimes& lifetimes);

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
};

// Graph inputs stay intact for the whole run (a caller may run again without setting them anew);
// outputs live until the caller reads them.
MemoryPlan plan_memory(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule,
                       const MemoryPlanOptions& options = {});

}  // namespace webdnn::optimizer
