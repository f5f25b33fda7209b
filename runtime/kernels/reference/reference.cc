#include "runtime/kernels/reference/reference.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace webdnn::runtime::reference {

double load(const void* data, DType dtype, int64_t i) {
  switch (dtype) {
    case DType::Float32: return static_cast<const float*>(data)[i];
    case DType::Int64: return static_cast<double>(static_cast<const int64_t*>(data)[i]);
    case DType::Int32: return static_cast<const int32_t*>(data)[i];
    case DType::Bool:
    case DType::UInt8: return static_cast<const uint8_t*>(data)[i];
    case DType::Int8: return static_cast<const int8_t*>(data)[i];
  }
  return 0;
}

void store(void* data, DType dtype, int64_t i, double v) {
  // Converting NaN or an out-of-range value to an integer is undefined in C++; saturate instead.
  auto saturate = [&](double lo, double hi) { return std::isnan(v) ? 0.0 : std::clamp(v, lo, hi); };
  switch (dtype) {
    case DType::Float32: static_cast<float*>(data)[i] = static_cast<float>(v); break;
    case DType::Int64: static_cast<int64_t*>(data)[i] = static_cast<int64_t>(saturate(-9.2e18, 9.2e18)); break;
    case DType::Int32: static_cast<int32_t*>(data)[i] = static_cast<int32_t>(saturate(-2147483648.0, 2147483647.0)); break;
    case DType::Bool: static_cast<uint8_t*>(data)[i] = v != 0; break;
    case DType::UInt8: static_cast<uint8_t*>(data)[i] = static_cast<uint8_t>(saturate(0, 255)); break;
    case DType::Int8: static_cast<int8_t*>(data)[i] = static_cast<int8_t>(saturate(-128, 127)); break;
  }
}

namespace {
// Copies `count` elements of size `elem` between strided and contiguous memory.
void copy_strided(const TensorInfo& info, size_t elem, const uint8_t* src, uint8_t* dst, bool to_contiguous) {
  if (info.is_contiguous()) {
    size_t n = static_cast<size_t>(info.size()) * elem;
    if (n) std::memcpy(dst, src, n);
    return;
  }
  int64_t i = 0;
  for_each_index(info.shape, [&](const std::vector<int64_t>& index) {
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); d++) off += index[d] * info.strides[d];
    if (to_contiguous) std::memcpy(dst + i * elem, src + off * elem, elem);
    else std::memcpy(dst + off * elem, src + i * elem, elem);
    i++;
  });
}
}  // namespace

Tensor gather_contiguous(const void* data, const TensorInfo& info) {
  Tensor t(info.dtype, info.shape);
  copy_strided(info, dtype_size(info.dtype), static_cast<const uint8_t*>(data), t.bytes.data(), true);
  return t;
}

void scatter_contiguous(const Tensor& t, void* data, const TensorInfo& info) {
  copy_strided(info, dtype_size(info.dtype), t.bytes.data(), static_cast<uint8_t*>(data), false);
}

std::unique_ptr<Kernel> make_function_kernel(const KernelSpec& spec,
                                             std::function<void(const std::vector<Tensor>&, std::vector<Tensor>&)> compute) {
  return std::make_unique<FunctionKernel>([spec, compute](void* const* in, void* const* out) {
    std::vector<Tensor> inputs;
    for (size_t i = 0; i < spec.inputs.size(); i++) inputs.push_back(gather_contiguous(in[i], spec.inputs[i]));
    std::vector<Tensor> outputs;
    for (const TensorInfo& o : spec.outputs) outputs.emplace_back(o.dtype, o.shape);
    compute(inputs, outputs);
    for (size_t i = 0; i < outputs.size(); i++) scatter_contiguous(outputs[i], out[i], spec.outputs[i]);
  });
}

}  // namespace webdnn::runtime::reference
