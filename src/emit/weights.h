// The weights blob of one backend: constant data packed at aligned offsets.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "webdnn/json.h"
#include "webdnn/tensor.h"

namespace webdnn::emit {

// Values at `offset` that the transform makes of `source` at load.
struct DerivedRange {
  int64_t offset, count;
  std::vector<float> source;
  Json transform;  // {"kind": ..., parameters}; "source" (its size) is added when coded
};

class WeightsBuilder {
 public:
  explicit WeightsBuilder(int64_t alignment = 64) : alignment_(alignment) {}
  // Appends raw bytes at the next offset aligned to `alignment` (default: the builder's) and
  // returns that offset. `floats`: they are float32 values, which --weights may code compactly.
  int64_t add(const uint8_t* data, size_t size, int64_t alignment = 0, bool floats = false);
  int64_t add(const Tensor& t) { return add(t.bytes.data(), t.bytes.size(), 0, t.dtype == DType::Float32); }
  // Where float32 values were added: (offset, count), in order (kept by take()).
  const std::vector<std::pair<int64_t, int64_t>>& float_ranges() const { return floats_; }
  // Adds float32 values that a weight transform (runtime/core/weights_codec.h) makes of the
  // smaller `source` at load, so that the file can hold the source instead.
  int64_t add_derived(const std::vector<float>& values, std::vector<float> source, Json transform);
  const std::vector<DerivedRange>& derived_ranges() const { return derived_; }
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
  std::vector<std::pair<int64_t, int64_t>> floats_;
  std::vector<DerivedRange> derived_;
};

}  // namespace webdnn::emit
