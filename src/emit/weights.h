// The weights blob of one backend: constant data packed at aligned offsets.
#pragma once
#include <cstdint>
#include <vector>

#include "webdnn/tensor.h"

namespace webdnn::emit {

class WeightsBuilder {
 public:
  explicit WeightsBuilder(int64_t alignment = 64) : alignment_(alignment) {}
  // Appends raw bytes at the next offset aligned to `alignment` (default: the builder's) and
  // returns that offset.
  int64_t add(const uint8_t* data, size_t size, int64_t alignment = 0);
  int64_t add(const Tensor& t) { return add(t.bytes.data(), t.bytes.size()); }
  size_t size() const { return size_; }
  // The bytes stored at `offset`, readable up to the end of the piece that holds them.
  const uint8_t* data_at(int64_t offset) const;
  // The whole blob, zero bytes between the pieces; the builder is empty afterwards.
  std::vector<uint8_t> take();

 private:
  struct Piece {
    size_t offset;
    std::vector<uint8_t> bytes;
  };
  int64_t alignment_;
  size_t size_ = 0;
  // Pieces are joined once at the end: growing one vector piece by piece would copy half a
  // gigabyte several times over for VGG16.
  std::vector<Piece> pieces_;
};

}  // namespace webdnn::emit
