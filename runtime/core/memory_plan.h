// Static memory planning, one planner for every backend and for the runtime.
//
// A schedule is described as numbered values that steps read and write, in order (`Uses`).
// plan_lifetimes() finds when each value must stay intact and lets a value take over the storage
// of one that dies where it is written, when the backend allows it (in-place handover): the
// result is blocks of storage, each with its lifetime and the values it holds in turn. The blocks
// are then placed either at offsets in one arena (wasm, WebGPU: place_in_arena) or in slots
// shared by blocks of one shape class whose lifetimes do not overlap (WebGL, where a slot is a
// texture and the class its width and layers: place_in_slots). Lifetimes are closed intervals of
// steps, so a block never starts where another one that shares its place ends: storage written by
// a step is never storage it reads, except by a handover.
//
// The transpiler plans static shapes once (src/optimizer/memory_plan.h); the runtime plans again
// for each binding of a model's symbolic dimensions (runtime/core/specialize.h).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace webdnn::plan {

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

}  // namespace webdnn::plan
