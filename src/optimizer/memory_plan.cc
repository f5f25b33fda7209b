#include "src/optimizer/memory_plan.h"

#include <algorithm>
#include <set>

#include "src/ops/schema.h"

namespace webdnn::optimizer {
namespace {

int64_t align(int64_t n, int64_t a) { return (n + a - 1) / a * a; }

// One block of arena memory shared by one or more variables (in-place chains).
struct Block {
  int64_t bytes = 0;
  int first = 0, last = 0;  // schedule steps during which it must stay intact
  std::vector<const ir::Variable*> members;
  int64_t offset = -1;
};

}  // namespace

MemoryPlan plan_memory(const ir::Graph& graph, const std::vector<ir::Operator*>& schedule,
                       const MemoryPlanOptions& options) {
  const int end = static_cast<int>(schedule.size());
  std::map<const ir::Operator*, int> step;
  for (int i = 0; i < end; i++) step[schedule[i]] = i;
  std::set<const ir::Variable*> pinned(graph.inputs.begin(), graph.inputs.end());
  pinned.insert(graph.outputs.begin(), graph.outputs.end());

  // Inputs stay intact for the whole run (a caller may run again without setting them anew);
  // outputs live until the caller reads them.
  auto last_use = [&](const ir::Variable* v) {
    if (pinned.count(v)) return end;
    int last = v->producer ? step.at(v->producer) : -1;
    for (const ir::Operator* c : v->consumers) last = std::max(last, step.at(c));
    return last;
  };

  auto bytes = [&](const ir::Variable* v) {
    return align(options.element_bytes ? v->size() * options.element_bytes : v->bytes(), options.alignment);
  };
  std::vector<Block> blocks;
  std::map<const ir::Variable*, size_t> block_of;
  auto new_block = [&](const ir::Variable* v, int first) {
    Block b;
    b.bytes = bytes(v);
    b.first = first;
    b.last = last_use(v);
    b.members.push_back(v);
    block_of[v] = blocks.size();
    blocks.push_back(b);
  };
  for (const ir::Variable* v : graph.inputs) new_block(v, -1);
  for (int i = 0; i < end; i++) {
    const ir::Operator* op = schedule[i];
    std::vector<std::pair<int, int>> inplace;
    if (options.inplace) inplace = ops::traits_of(*op).inplace;
    for (size_t o = 0; o < op->outputs.size(); o++) {
      const ir::Variable* out = op->outputs[o];
      bool shared = false;
      for (auto [in_index, out_index] : inplace) {
        const ir::Variable* in = op->inputs[in_index];
        if (out_index != static_cast<int>(o) || !in || in->is_constant() || pinned.count(in) || !block_of.count(in))
          continue;
        Block& b = blocks[block_of[in]];
        // The input must die here, and its block must not already serve another output of this step.
        if (b.last != i || b.bytes < bytes(out) || in->strides() != out->strides()) continue;
        if (b.members.back() != in) continue;
        b.last = last_use(out);
        b.members.push_back(out);
        block_of[out] = block_of[in];
        shared = true;
        break;
      }
      if (!shared) new_block(out, i);
    }
  }

  MemoryPlan plan;
  for (const Block& b : blocks) plan.naive_bytes += b.bytes;
  for (int t = -1; t <= end; t++) {
    int64_t alive = 0;
    for (const Block& b : blocks)
      if (b.first <= t && t <= b.last) alive += b.bytes;
    plan.lower_bound_bytes = std::max(plan.lower_bound_bytes, alive);
  }
  // Greedy by size: the largest blocks first, each at the lowest offset that does not overlap
  // a placed block whose lifetime intersects its own.
  std::vector<size_t> order(blocks.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return blocks[a].bytes > blocks[b].bytes; });
  std::vector<size_t> placed;
  for (size_t i : order) {
    Block& b = blocks[i];
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed) {
      const Block& p = blocks[j];
      if (p.first <= b.last && b.first <= p.last) busy.emplace_back(p.offset, p.offset + p.bytes);
    }
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + b.bytes <= lo) break;
      offset = std::max(offset, hi);
    }
    b.offset = offset;
    placed.push_back(i);
    plan.arena_bytes = std::max(plan.arena_bytes, offset + b.bytes);
  }
  for (const Block& b : blocks)
    for (const ir::Variable* v : b.members) plan.offsets[v] = b.offset;
  return plan;
}

}  // namespace webdnn::optimizer
