#include "webdnn/tensor.h"

#include <cmath>

#include "webdnn/error.h"

namespace webdnn {
namespace {
int64_t max_bytes_override = 0;
}  // namespace

int64_t max_tensor_bytes() { return max_bytes_override > 0 ? max_bytes_override : int64_t{4} << 30; }
void set_max_tensor_bytes(int64_t bytes) { max_bytes_override = bytes; }

size_t tensor_bytes(DType t, const Shape& shape) {
  int64_t bytes = checked_size_mul(num_elements(shape), static_cast<int64_t>(dtype_size(t)));
  WEBDNN_CHECK(bytes <= max_tensor_bytes(), "a ", dtype_name(t), " tensor of shape ", shape_to_string(shape), " takes ",
               bytes, " bytes, more than the ", max_tensor_bytes(), " any backend can hold");
  return static_cast<size_t>(bytes);
}

double Tensor::as_double(int64_t i) const {
  switch (dtype) {
    case DType::Float32: return data<float>()[i];
    case DType::Int64: return static_cast<double>(data<int64_t>()[i]);
    case DType::Int32: return data<int32_t>()[i];
    case DType::Bool:
    case DType::UInt8: return data<uint8_t>()[i];
    case DType::Int8: return data<int8_t>()[i];
  }
  return 0;
}

int64_t Tensor::as_int(int64_t i) const {
  if (dtype == DType::Int64) return data<int64_t>()[i];
  return saturate_int64(as_double(i));
}

std::vector<int64_t> Tensor::to_ints() const {
  std::vector<int64_t> v(size());
  for (int64_t i = 0; i < size(); i++) v[i] = as_int(i);
  return v;
}

std::vector<float> Tensor::to_floats() const {
  std::vector<float> v(size());
  for (int64_t i = 0; i < size(); i++) v[i] = static_cast<float>(as_double(i));
  return v;
}

Tensor Tensor::from_floats(const Shape& shape, const std::vector<float>& v) {
  Tensor t(DType::Float32, shape);
  WEBDNN_CHECK(static_cast<int64_t>(v.size()) == t.size(), "tensor of shape ", shape_to_string(shape),
               " given ", v.size(), " values");
  std::copy(v.begin(), v.end(), t.data<float>());
  return t;
}

Tensor Tensor::from_ints(const Shape& shape, const std::vector<int64_t>& v, DType type) {
  Tensor t(DType::Int64, shape);
  WEBDNN_CHECK(static_cast<int64_t>(v.size()) == t.size(), "tensor of shape ", shape_to_string(shape),
               " given ", v.size(), " values");
  std::copy(v.begin(), v.end(), t.data<int64_t>());
  return type == DType::Int64 ? t : t.cast(type);
}

Tensor Tensor::cast(DType to) const {
  if (to == dtype) return *this;
  Tensor out(to, shape);
  for (int64_t i = 0; i < size(); i++) {
    switch (to) {
      case DType::Float32: out.data<float>()[i] = static_cast<float>(as_double(i)); break;
      case DType::Int64: out.data<int64_t>()[i] = as_int(i); break;
      case DType::Int32: out.data<int32_t>()[i] = static_cast<int32_t>(as_int(i)); break;
      case DType::Bool: out.data<uint8_t>()[i] = as_double(i) != 0; break;
      case DType::UInt8: out.data<uint8_t>()[i] = static_cast<uint8_t>(as_int(i)); break;
      case DType::Int8: out.data<int8_t>()[i] = static_cast<int8_t>(as_int(i)); break;
    }
  }
  return out;
}

}  // namespace webdnn
