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

// Resize: per output coordinate, the input coordinates below and above and the weight of the
// upper one (nearest: both equal, weight 0).
struct AxisMap {
  std::vector<int64_t> lo, hi;
  std::vector<double> w;
  bool trivial = true;  // no output coordinate needs its upper neighbour
};
AxisMap resize_axis_map(const params::Resize& params, int64_t in, int64_t out, float scale);

// For output coordinates `index`, calls f(weight, offset) for each of the 2^k corners of the
// `blended` axes: offset from `base` (the lower corner) by the input `strides`, weight the product
// of the sides. Corners of weight 0 are skipped.
template <class F>
void for_each_corner(const std::vector<AxisMap>& maps, const std::vector<int>& blended, const std::vector<int64_t>& index,
                     const std::vector<int64_t>& strides, int64_t base, F&& f) {
  for (size_t corner = 0; corner < (size_t{1} << blended.size()); corner++) {
    double weight = 1;
    int64_t offset = base;
    for (size_t k = 0; k < blended.size(); k++) {
      const AxisMap& m = maps[blended[k]];
      int64_t o = index[blended[k]];
      bool upper = (corner >> k) & 1;
      weight *= upper ? m.w[o] : 1 - m.w[o];
      if (upper) offset += (m.hi[o] - m.lo[o]) * strides[blended[k]];
    }
    if (weight != 0) f(weight, offset);
  }
}

}  // namespace webdnn::runtime::reference
