// A dense tensor with its own storage, used for constants, folding and test data.
#pragma once
#include <cstring>
#include <vector>

#include "webdnn/dtype.h"
#include "webdnn/shape.h"

namespace webdnn {

// The most bytes one tensor may hold: 4 GiB, more than any backend holds (WebAssembly's whole
// memory). Checked when a tensor is made, so that a model that asks for more (a ConstantOfShape
// or Range folded at import, say) gets an error rather than the machine's memory.
int64_t max_tensor_bytes();
// Lowers (or, with 0, restores) that bound for this process: for the fuzzer.
void set_max_tensor_bytes(int64_t bytes);
// The bytes a tensor of `shape` and `t` takes, or webdnn::Error when that is over the bound.
size_t tensor_bytes(DType t, const Shape& shape);

struct Tensor {
  DType dtype = DType::Float32;
  Shape shape;
  std::vector<uint8_t> bytes;  // row-major

  Tensor() = default;
  Tensor(DType t, Shape s) : dtype(t), shape(std::move(s)), bytes(tensor_bytes(t, shape)) {}

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
