// The weights blob of one backend: constant data packed at aligned offsets.
#pragma once
#include <cstdint>
#include <vector>

#include "webdnn/tensor.h"

namespace webdnn::emit {

class WeightsBuilder {
 public:
  explicit WeightsBuilder(int64_t alignment = 64) : alignment_(alignment) {}
  // Appends raw bytes at the next aligned offset and returns that offset.
  int64_t add(const uint8_t* data, size_t size);
  int64_t add(const Tensor& t) { return add(t.bytes.data(), t.bytes.size()); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  int64_t alignment_;
  std::vector<uint8_t> bytes_;
};

}  // namespace webdnn::emit
