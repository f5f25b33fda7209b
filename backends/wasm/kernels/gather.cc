// "wasm.Gather": rows of a row-major table picked by indices (embeddings: a token's vector out of
// a vocabulary of tens of thousands). It reads the table where it lies; the reference kernel
// works on a contiguous copy of its inputs, which for an embedding table is megabytes per run.
#include <cstring>

#include "runtime/core/kernel.h"
#include "webdnn/error.h"
#include "webdnn/params.h"

namespace webdnn::wasm {
namespace {

class Gather : public runtime::Kernel {
 public:
  explicit Gather(const runtime::KernelSpec& spec) {
    runtime::require_counts(spec, "wasm.Gather", 2, 1);
    params::Axis p = params::Axis::parse(spec.params);
    runtime::check_outputs(spec, params::infer_gather(p, runtime::types_of(spec.inputs)));
    const runtime::TensorInfo &data = spec.inputs[0], &indices = spec.inputs[1], &y = spec.outputs[0];
    WEBDNN_CHECK(data.is_contiguous() && indices.is_contiguous() && y.is_contiguous(),
                 "wasm.Gather needs its table, indices and output row-major");
    WEBDNN_CHECK(indices.dtype == DType::Int64 || indices.dtype == DType::Int32, "wasm.Gather takes int64 or int32 indices");
    size_t axis = static_cast<size_t>(p.axis);
    row_bytes_ = static_cast<int64_t>(dtype_size(data.dtype));
    for (size_t d = 0; d < axis; d++) outer_ *= data.shape[d];
    for (size_t d = axis + 1; d < data.shape.size(); d++) row_bytes_ *= data.shape[d];
    dim_ = data.shape[axis];
    count_ = indices.size();
    wide_ = indices.dtype == DType::Int64;
  }

  void run(void* const* in, void* const* out) override {
    const uint8_t* table = static_cast<const uint8_t*>(in[0]);
    uint8_t* y = static_cast<uint8_t*>(out[0]);
    for (int64_t j = 0; j < count_; j++) {
      int64_t k = wide_ ? static_cast<const int64_t*>(in[1])[j] : static_cast<const int32_t*>(in[1])[j];
      // Indices are data: out of range is the model's input error, reported, never read past.
      WEBDNN_CHECK(k >= -dim_ && k < dim_, "index ", k, " is out of range for an axis of size ", dim_);
      if (k < 0) k += dim_;
      for (int64_t o = 0; o < outer_; o++)
        std::memcpy(y + (o * count_ + j) * row_bytes_, table + (o * dim_ + k) * row_bytes_, static_cast<size_t>(row_bytes_));
    }
  }

 private:
  int64_t outer_ = 1, dim_ = 0, count_ = 0, row_bytes_ = 0;
  bool wide_ = true;
};

}  // namespace

WEBDNN_REGISTER_KERNEL("wasm.Gather", [](const runtime::KernelSpec& spec) -> std::unique_ptr<runtime::Kernel> {
  return std::make_unique<Gather>(spec);
});

}  // namespace webdnn::wasm
