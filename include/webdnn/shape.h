// Shapes and strides (in elements), and the small helpers every kernel needs.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "webdnn/error.h"

namespace webdnn {

using Shape = std::vector<int64_t>;

// Throws webdnn::Error for a negative dimension or more than kMaxElements elements, so that sizes
// computed from a shape (times an element size, plus offsets) cannot overflow.
constexpr int64_t kMaxElements = int64_t{1} << 50;
int64_t num_elements(const Shape& shape);
// a * b for sizes (non-negative), or webdnn::Error when the product passes kMaxElements: shape
// code multiplies with this, never with a bare `*` that could overflow.
int64_t checked_size_mul(int64_t a, int64_t b);
// Row-major strides of `shape`.
Shape contiguous_strides(const Shape& shape);
// Strides of a tensor whose axes are laid out in memory in `order` (order[0] outermost).
Shape strides_for_order(const Shape& shape, const std::vector<int>& order);
// Normalizes a possibly negative axis against `rank`; throws webdnn::Error when out of range.
int normalize_axis(int64_t axis, int rank);
// Numpy-style broadcast of two shapes; throws webdnn::Error when they are incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// The same for shapes of numbers or of symbolic dims (webdnn/dim.h).
template <class S>
S broadcast(const S& a, const S& b);
// Strides that read `shape` (with `strides`) as if broadcast to `target` (stride 0 on broadcast axes).
Shape broadcast_strides(const Shape& shape, const Shape& strides, const Shape& target);
std::string shape_to_string(const Shape& shape);

inline bool identical(int64_t a, int64_t b) { return a == b; }

template <class S>
S broadcast(const S& a, const S& b) {
  using D = typename S::value_type;
  size_t rank = std::max(a.size(), b.size());
  S out(rank);
  for (size_t i = 0; i < rank; i++) {
    D da = i < rank - a.size() ? D(1) : a[i - (rank - a.size())];
    D db = i < rank - b.size() ? D(1) : b[i - (rank - b.size())];
    // What needs no comparison of symbols first: comparing a symbol with 1 assumes (guards)
    // which side of 1 it is on.
    if (identical(da, db) || identical(db, D(1))) {
      out[i] = da;
    } else if (identical(da, D(1))) {
      out[i] = db;
    } else {
      WEBDNN_CHECK(da == db || da == D(1) || db == D(1), "shapes ", shape_to_string(a), " and ", shape_to_string(b),
                   " cannot be broadcast together");
      out[i] = da == D(1) ? db : da;
    }
  }
  return out;
}

// MatMul's operands as ONNX (numpy) reads them: a 1-D A is a row, a 1-D B a column, and the
// dimensions before the last two are broadcast. Batch strides count whole M x K (K x N) matrices.
struct MatMulShape {
  int64_t M, K, N;
  Shape batch, a_strides, b_strides;
};
MatMulShape matmul_shape(Shape a, Shape b);

}  // namespace webdnn
