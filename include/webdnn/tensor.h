// A dense tensor with its own storage, used for constants, folding and test data.
#pragma once
#include <cstring>
#include <vector>

#include "webdnn/dtype.h"
#include "webdnn/shape.h"

namespace webdnn {

struct Tensor {
  DType dtype = DType::Float32;
  Shape shape;
  std::vector<uint8_t> bytes;  // row-major

  Tensor() = default;
  Tensor(DType t, Shape s) : dtype(t), shape(std::move(s)), bytes(num_elements(shape) * dtype_size(t)) {}

  int64_t size() const { return num_elements(shape); }
  template <class T> T* data() { return reinterpret_cast<T*>(bytes.data()); }
  template <class T> const T* data() const { return reinterpret_cast<const T*>(bytes.data()); }

  // Element i converted to double / int64 whatever the dtype.
  double as_double(int64_t i) const;
  int64_t as_int(int64_t i) const;
  std::vector<int64_t> to_ints() const;
  std::vector<float> to_floats() const;

  static Tensor from_floats(const Shape& shape, const std::vector<float>& v);
  static Tensor from_ints(const Shape& shape, const std::vector<int64_t>& v, DType t = DType::Int64);
  static Tensor scalar(float v) { return from_floats({}, {v}); }
  Tensor cast(DType to) const;
};

}  // namespace webdnn
