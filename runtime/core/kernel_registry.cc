#include <algorithm>
#include <map>

#include "runtime/core/kernel.h"

#include "webdnn/error.h"

namespace webdnn::runtime {
namespace {
std::map<std::string, KernelFactory>& registry() {
  static std::map<std::string, KernelFactory> r;
  return r;
}
}  // namespace

params::Types types_of(const std::vector<TensorInfo>& tensors) {
  params::Types types;
  for (const TensorInfo& t : tensors) types.push_back({t.dtype, t.shape});
  return types;
}

void check_outputs(const KernelSpec& spec, const params::Types& expected) {
  WEBDNN_CHECK(spec.outputs.size() == expected.size(), spec.outputs.size(), " outputs; the operator makes ",
               expected.size());
  for (size_t i = 0; i < expected.size(); i++) {
    const TensorInfo& o = spec.outputs[i];
    WEBDNN_CHECK(o.dtype == expected[i].dtype && o.shape == expected[i].shape, "output ", i, " is ", dtype_name(o.dtype),
                 " ", shape_to_string(o.shape), "; the operator makes ", dtype_name(expected[i].dtype), " ",
                 shape_to_string(expected[i].shape), " of its inputs");
  }
}

void require_float32(const KernelSpec& spec, const char* kernel) {
  for (const TensorInfo& t : spec.inputs)
    WEBDNN_CHECK(t.dtype == DType::Float32, kernel, " takes float32 inputs, not ", dtype_name(t.dtype));
  for (const TensorInfo& t : spec.outputs)
    WEBDNN_CHECK(t.dtype == DType::Float32, kernel, " makes float32 outputs, not ", dtype_name(t.dtype));
}

void require_counts(const KernelSpec& spec, const char* kernel, size_t inputs, size_t outputs, bool more) {
  bool ok = (more ? spec.inputs.size() >= inputs : spec.inputs.size() == inputs) && spec.outputs.size() == outputs;
  WEBDNN_CHECK(ok, kernel, " takes ", inputs, more ? " or more" : "", " inputs and ", outputs, " outputs, not ",
               spec.inputs.size(), " and ", spec.outputs.size());
}

bool TensorInfo::is_dense() const {
  // Without elements there is nothing to lay out (row-major strides of [10,3,0] are [0,0,1]).
  for (int64_t d : shape)
    if (d == 0) return true;
  std::vector<size_t> axes(shape.size());
  for (size_t i = 0; i < axes.size(); i++) axes[i] = i;
  std::sort(axes.begin(), axes.end(), [&](size_t a, size_t b) { return strides[a] > strides[b]; });
  int64_t expect = 1;
  for (size_t k = axes.size(); k-- > 0;) {
    size_t a = axes[k];
    if (shape[a] == 1) continue;
    if (strides[a] != expect) return false;
    expect *= shape[a];
  }
  return true;
}

std::vector<int> TensorInfo::memory_axes() const {
  std::vector<int> axes(shape.size());
  for (size_t i = 0; i < axes.size(); i++) axes[i] = static_cast<int>(i);
  std::stable_sort(axes.begin(), axes.end(), [&](int a, int b) { return strides[a] > strides[b]; });
  return axes;
}

bool TensorInfo::is_channels_last() const {
  if (rank() != 4) return false;
  const Shape& s = shape;
  Shape want = {s[1] * s[2] * s[3], 1, s[3] * s[1], s[1]};
  for (int a = 0; a < 4; a++)
    if (s[a] != 1 && strides[a] != want[a]) return false;
  return true;
}

void register_kernel(const std::string& name, KernelFactory factory) { registry()[name] = factory; }

KernelFactory find_kernel(const std::string& name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (auto& [name, f] : registry()) names.push_back(name);
  return names;
}

}  // namespace webdnn::runtime
