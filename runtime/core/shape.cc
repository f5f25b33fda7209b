#include "webdnn/shape.h"

#include "webdnn/error.h"

namespace webdnn {

int64_t num_elements(const Shape& shape) {
  int64_t n = 1;
  bool overflow = false, empty = false;
  for (int64_t d : shape) {
    WEBDNN_CHECK(d >= 0, "shape ", shape_to_string(shape), " has a negative dimension");
    empty |= d == 0;
    // Once over, the product stays over: a wrapped product may read 0 ([2^32, 2^32]) and pass
    // for an empty tensor.
    overflow = overflow || __builtin_mul_overflow(n, d, &n) || n > kMaxElements;
  }
  // A zero dimension empties the tensor whatever the others hold.
  WEBDNN_CHECK(!overflow || empty, "shape ", shape_to_string(shape), " holds more than 2^50 elements");
  return empty ? 0 : n;
}

int64_t checked_size_mul(int64_t a, int64_t b) {
  int64_t n = 0;
  WEBDNN_CHECK(a >= 0 && b >= 0, "a size of ", a < 0 ? a : b, " is negative");
  WEBDNN_CHECK(!__builtin_mul_overflow(a, b, &n) && n <= kMaxElements, "a size of ", a, " x ", b,
               " is more than 2^50");
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    if (i > 0) s = checked_size_mul(s, shape[i]);
  }
  return strides;
}

Shape strides_for_order(const Shape& shape, const std::vector<int>& order) {
  if (order.empty()) return contiguous_strides(shape);
  WEBDNN_CHECK(order.size() == shape.size(), "order of rank ", order.size(), " for shape ",
               shape_to_string(shape));
  Shape strides(shape.size());
  int64_t s = 1;
  for (size_t i = order.size(); i-- > 0;) {
    WEBDNN_CHECK(order[i] >= 0 && order[i] < static_cast<int>(shape.size()), "order has no axis ", order[i]);
    strides[order[i]] = s;
    if (i > 0) s = checked_size_mul(s, shape[order[i]]);
  }
  return strides;
}

int normalize_axis(int64_t axis, int rank) {
  WEBDNN_CHECK(axis >= -rank && axis < rank, "axis ", axis, " is out of range for rank ", rank);
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

Shape broadcast_shapes(const Shape& a, const Shape& b) { return broadcast(a, b); }

Shape broadcast_strides(const Shape& shape, const Shape& strides, const Shape& target) {
  Shape out(target.size(), 0);
  size_t offset = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); i++)
    out[offset + i] = shape[i] == 1 && target[offset + i] != 1 ? 0 : strides[i];
  return out;
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); i++) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

MatMulShape matmul_shape(Shape a, Shape b) {
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  MatMulShape m{a[a.size() - 2], a.back(), b.back(), {}, {}, {}};
  Shape batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
  m.batch = broadcast_shapes(batch_a, batch_b);
  m.a_strides = broadcast_strides(batch_a, contiguous_strides(batch_a), m.batch);
  m.b_strides = broadcast_strides(batch_b, contiguous_strides(batch_b), m.batch);
  return m;
}

}  // namespace webdnn
