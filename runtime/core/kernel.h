// Kernels: what the runtime executes. A kernel is created once per call site from its parameters
// and the exact layout of its tensors (prepare), then run any number of times on raw pointers.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "webdnn/dtype.h"
#include "webdnn/json.h"
#include "webdnn/params.h"
#include "webdnn/shape.h"

namespace webdnn::runtime {

struct TensorInfo {
  DType dtype = DType::Float32;
  Shape shape;
  Shape strides;  // in elements, per logical axis

  int rank() const { return static_cast<int>(shape.size()); }
  int64_t size() const { return num_elements(shape); }
  bool is_contiguous() const { return strides == contiguous_strides(shape); }
  // Its elements fill size() consecutive places in some order of the axes (no gaps, no overlap).
  bool is_dense() const;
  // An N C H W tensor laid out N H W C, densely.
  bool is_channels_last() const;
  // Its logical axes from outermost to innermost in memory (by decreasing stride; ties in
  // logical order).
  std::vector<int> memory_axes() const;
};

struct KernelSpec {
  Json params;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void run(void* const* inputs, void* const* outputs) = 0;
};

// A kernel made of a function that already captured everything prepared.
class FunctionKernel : public Kernel {
 public:
  using Fn = std::function<void(void* const*, void* const*)>;
  explicit FunctionKernel(Fn fn) : fn_(std::move(fn)) {}
  void run(void* const* in, void* const* out) override { fn_(in, out); }

 private:
  Fn fn_;
};

// Checks a factory makes of its call before anything runs (each throws webdnn::Error).
params::Types types_of(const std::vector<TensorInfo>& tensors);
// The outputs are what the operator's signature (webdnn/params.h) made of the inputs.
void check_outputs(const KernelSpec& spec, const params::Types& expected);
// Every input and output is float32 (kernels that read raw floats).
void require_float32(const KernelSpec& spec, const char* kernel);
// The call has `inputs` inputs (or more when `more`) and `outputs` outputs.
void require_counts(const KernelSpec& spec, const char* kernel, size_t inputs, size_t outputs, bool more = false);

using KernelFactory = std::unique_ptr<Kernel> (*)(const KernelSpec&);

void register_kernel(const std::string& name, KernelFactory factory);
KernelFactory find_kernel(const std::string& name);  // nullptr when unknown
std::vector<std::string> kernel_names();

struct KernelRegistration {
  KernelRegistration(const char* name, KernelFactory factory) { register_kernel(name, factory); }
};

#define WEBDNN_CONCAT_INNER(a, b) a##b
#define WEBDNN_CONCAT(a, b) WEBDNN_CONCAT_INNER(a, b)
#define WEBDNN_REGISTER_KERNEL(name, factory) \
  static ::webdnn::runtime::KernelRegistration WEBDNN_CONCAT(kernel_registration_, __COUNTER__)(name, factory)

}  // namespace webdnn::runtime
