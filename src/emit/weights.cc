#include "src/emit/weights.h"

#include <algorithm>

#include "webdnn/error.h"

namespace webdnn::emit {

int64_t WeightsBuilder::add(const uint8_t* data, size_t size, int64_t alignment, bool floats) {
  size_t a = static_cast<size_t>(alignment > 0 ? alignment : alignment_);
  size_t offset = (size_ + a - 1) / a * a;
  pieces_.push_back({offset, std::vector<uint8_t>(data, data + size)});
  if (floats && size >= 4) floats_.push_back({static_cast<int64_t>(offset), static_cast<int64_t>(size / 4)});
  size_ = offset + size;
  return static_cast<int64_t>(offset);
}

int64_t WeightsBuilder::add_derived(const std::vector<float>& values, std::vector<float> source, Json transform) {
  int64_t offset = add(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 4);
  derived_.push_back({offset, static_cast<int64_t>(values.size()), std::move(source), std::move(transform)});
  return offset;
}

const uint8_t* WeightsBuilder::data_at(int64_t offset) const {
  auto o = static_cast<size_t>(offset);
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), o, [](size_t x, const Piece& p) { return x < p.offset; });
  WEBDNN_CHECK(it != pieces_.begin(), "no weights at offset ", offset);
  --it;
  WEBDNN_CHECK(o <= it->offset + it->bytes.size(), "no weights at offset ", offset);
  return it->bytes.data() + (o - it->offset);
}

std::vector<uint8_t> WeightsBuilder::take() {
  std::vector<uint8_t> out;
  out.reserve(size_);
  for (Piece& p : pieces_) {
    out.resize(p.offset);
    out.insert(out.end(), p.bytes.begin(), p.bytes.end());
    std::vector<uint8_t>().swap(p.bytes);
  }
  pieces_.clear();
  size_ = 0;
  return out;
}

}  // namespace webdnn::emit
