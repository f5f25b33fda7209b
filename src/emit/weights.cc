#include "src/emit/weights.h"

namespace webdnn::emit {

int64_t WeightsBuilder::add(const uint8_t* data, size_t size) {
  size_t offset = (bytes_.size() + alignment_ - 1) / alignment_ * alignment_;
  bytes_.resize(offset + size);
  std::copy(data, data + size, bytes_.begin() + static_cast<std::ptrdiff_t>(offset));
  return static_cast<int64_t>(offset);
}

}  // namespace webdnn::emit
