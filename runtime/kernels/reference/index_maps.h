// Where each output coordinate of an axis reads from, for Pad and Resize: shared by the
// reference kernels and by backends' kernels so that they agree to the index.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "webdnn/params.h"

namespace webdnn::runtime::reference {

// Pad: the input coordinate output coordinate `o` reads, or -1 for the constant value.
int64_t pad_source(int64_t o, int64_t begin, int64_t end, int64_t dim, params::Pad::Mode mode);

// Resize: per output coordinate `o` of an axis, the `taps` input coordinates it reads
// (index[o * taps + t], clamped to the input: edge padding) and their weights. Nearest reads one
// with weight 1, linear two, cubic four; antialiasing widens the filter by 1 / scale when shrinking.
struct AxisMap {
  int taps = 1;
  std::vector<int64_t> index;
  std::vector<double> weight;
  bool trivial() const { return taps == 1; }  // each output coordinate copies one input coordinate
  bool identity() const {                      // ... the one of its own index
    if (taps != 1) return false;
    for (size_t o = 0; o < index.size(); o++)
      if (index[o] != static_cast<int64_t>(o)) return false;
    return true;
  }
};
AxisMap resize_axis_map(const params::Resize& params, int64_t in, int64_t out, float scale);

// For output coordinates `at`, calls f(weight, offset) for each combination of the taps of every
// axis (the product of their weights; combinations of weight 0 are skipped), the offset of the
// input element by the input `strides`.
template <class F>
void for_each_tap(const std::vector<AxisMap>& maps, const std::vector<int64_t>& at, const std::vector<int64_t>& strides,
                  F&& f) {
  int64_t base = 0;
  std::vector<size_t> blended;
  for (size_t d = 0; d < maps.size(); d++) {
    if (maps[d].trivial()) base += maps[d].index[at[d]] * strides[d];
    else blended.push_back(d);
  }
  std::vector<int> t(blended.size(), 0);
  while (true) {
    double weight = 1;
    int64_t offset = base;
    for (size_t k = 0; k < blended.size(); k++) {
      const AxisMap& m = maps[blended[k]];
      size_t i = static_cast<size_t>(at[blended[k]] * m.taps + t[k]);
      weight *= m.weight[i];
      offset += m.index[i] * strides[blended[k]];
    }
    if (weight != 0) f(weight, offset);
    size_t k = 0;  // the next combination, the last axis fastest
    for (; k < blended.size(); k++) {
      size_t j = blended.size() - 1 - k;
      if (++t[j] < maps[blended[j]].taps) break;
      t[j] = 0;
    }
    if (k == blended.size()) return;
  }
}

}  // namespace webdnn::runtime::reference
