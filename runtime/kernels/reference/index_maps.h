// Where each output coordinate of an axis reads from, for Pad and Resize: shared by the
// reference kernels and by backends' kernels so that they agree to the index.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "webdnn/json.h"

namespace webdnn::runtime::reference {

// Pad: the input coordinate output coordinate `o` reads, or -1 for the constant value.
int64_t pad_source(int64_t o, int64_t begin, int64_t end, int64_t dim, const std::string& mode);

// Resize: per output coordinate, the input coordinates below and above and the weight of the
// upper one (nearest: both equal, weight 0).
struct AxisMap {
  std::vector<int64_t> lo, hi;
  std::vector<double> w;
  bool trivial = true;  // no output coordinate needs its upper neighbour
};
AxisMap resize_axis_map(const Json& params, int64_t in, int64_t out, float scale);

}  // namespace webdnn::runtime::reference
