#include "runtime/core/memory_plan.h"

#include <algorithm>
#include <numeric>


namespace webdnn::plan {
namespace {

bool overlap(const Block& a, const Block& b) { return a.first <= b.last && b.first <= a.last; }

int64_t total(const SlotPlacement& s) { return std::accumulate(s.sizes.begin(), s.sizes.end(), int64_t{0}); }

// Blocks in `order`, each into a free slot of its class that `pick` chooses among `free` (slot
// indices, in slot order), else into a new slot. A slot is free for a block when none of the
// blocks it holds is alive at the same time.
template <class Pick>
SlotPlacement fill_slots(const Lifetimes& l, const std::vector<size_t>& order, Pick pick) {
  SlotPlacement s;
  s.slot_of.assign(l.blocks.size(), -1);
  std::vector<std::vector<size_t>> held;
  for (size_t i : order) {
    const Block& b = l.blocks[i];
    std::vector<int> free;
    for (size_t k = 0; k < held.size(); k++) {
      if (s.classes[k] != b.shape_class) continue;
      bool busy = false;
      for (size_t j : held[k]) busy = busy || overlap(l.blocks[j], b);
      if (!busy) free.push_back(static_cast<int>(k));
    }
    int slot = free.empty() ? -1 : pick(free, b.size, s.sizes);
    if (slot < 0) {
      slot = static_cast<int>(held.size());
      held.emplace_back();
      s.sizes.push_back(0);
      s.classes.push_back(b.shape_class);
    }
    held[slot].push_back(i);
    s.slot_of[i] = slot;
    s.sizes[slot] = std::max(s.sizes[slot], b.size);
  }
  return s;
}

}  // namespace

Lifetimes plan_lifetimes(const Uses& uses) {
  const int n = static_cast<int>(uses.sizes.size());
  const int end = static_cast<int>(uses.steps.size());
  auto shape_class = [&](int v) { return uses.classes.empty() ? 0 : uses.classes[v]; };
  // The last step each value must stay intact for; -2: none touches it.
  std::vector<int> last(n, -2);
  for (int v : uses.inputs) last[v] = std::max(last[v], -1);
  for (int i = 0; i < end; i++) {
    for (int v : uses.steps[i].reads) last[v] = i;
    for (int v : uses.steps[i].writes) last[v] = i;
  }
  for (int v : uses.kept)
    if (last[v] > -2) last[v] = end;

  Lifetimes l;
  l.block_of.assign(n, -1);
  auto new_block = [&](int v, int first) {
    Block b;
    b.size = uses.sizes[v];
    b.first = first;
    b.last = last[v];
    b.shape_class = shape_class(v);
    b.members.push_back(v);
    l.block_of[v] = static_cast<int>(l.blocks.size());
    l.blocks.push_back(b);
  };
  for (int v : uses.inputs)
    if (l.block_of[v] < 0) new_block(v, -1);
  for (int i = 0; i < end; i++) {
    const Uses::Step& step = uses.steps[i];
    for (int v : step.reads)
      if (l.block_of[v] < 0) new_block(v, i);
    for (int out : step.writes) {
      if (l.block_of[out] >= 0) continue;
      bool shared = false;
      for (auto [in, to] : step.handovers) {
        if (to != out || l.block_of[in] < 0) continue;
        Block& b = l.blocks[l.block_of[in]];
        // The input must die here, and its block must not already serve another output of this
        // step.
        if (b.last != i || b.size < uses.sizes[out] || b.shape_class != shape_class(out) || b.members.back() != in)
          continue;
        b.last = last[out];
        b.members.push_back(out);
        l.block_of[out] = l.block_of[in];
        shared = true;
        break;
      }
      if (!shared) new_block(out, i);
    }
  }
  return l;
}

ArenaPlacement place_in_arena(const Lifetimes& l) {
  const std::vector<Block>& blocks = l.blocks;
  ArenaPlacement a;
  a.offsets.assign(blocks.size(), -1);
  int from = 0, to = 0;
  for (const Block& b : blocks) {
    a.naive += b.size;
    from = std::min(from, b.first);
    to = std::max(to, b.last);
  }
  for (int t = from; t <= to; t++) {
    int64_t alive = 0;
    for (const Block& b : blocks)
      if (b.first <= t && t <= b.last) alive += b.size;
    a.lower_bound = std::max(a.lower_bound, alive);
  }
  std::vector<size_t> order(blocks.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return blocks[x].size > blocks[y].size; });
  std::vector<size_t> placed;
  for (size_t i : order) {
    const Block& b = blocks[i];
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed)
      if (overlap(blocks[j], b)) busy.emplace_back(a.offsets[j], a.offsets[j] + blocks[j].size);
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + b.size <= lo) break;
      offset = std::max(offset, hi);
    }
    a.offsets[i] = offset;
    placed.push_back(i);
    a.size = std::max(a.size, offset + b.size);
  }
  return a;
}

SlotPlacement place_in_slots(const Lifetimes& l) {
  const std::vector<Block>& blocks = l.blocks;
  std::vector<size_t> by_first(blocks.size());
  std::iota(by_first.begin(), by_first.end(), size_t{0});
  std::stable_sort(by_first.begin(), by_first.end(), [&](size_t x, size_t y) { return blocks[x].first < blocks[y].first; });
  std::vector<size_t> by_size = by_first;
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t x, size_t y) { return blocks[x].size > blocks[y].size; });
  // By first use: the smallest free slot large enough, else the largest (which grows): the fewest
  // slots, since a new one is taken only when every slot of the class is busy.
  SlotPlacement first_use = fill_slots(l, by_first, [](const std::vector<int>& free, int64_t size, const std::vector<int64_t>& sizes) {
    int best = free[0];
    for (int k : free) {
      bool fits = sizes[k] >= size, best_fits = sizes[best] >= size;
      if ((fits && (!best_fits || sizes[k] < sizes[best])) || (!fits && !best_fits && sizes[k] > sizes[best])) best = k;
    }
    return best;
  });
  // By size: every free slot is already large enough; the smallest keeps the large ones for later.
  SlotPlacement largest_first = fill_slots(l, by_size, [](const std::vector<int>& free, int64_t, const std::vector<int64_t>& sizes) {
    return *std::min_element(free.begin(), free.end(), [&](int x, int y) { return sizes[x] < sizes[y]; });
  });
  int64_t a = total(first_use), b = total(largest_first);
  if (a != b) return a < b ? first_use : largest_first;
  return first_use.sizes.size() <= largest_first.sizes.size() ? first_use : largest_first;
}

}  // namespace webdnn::plan
