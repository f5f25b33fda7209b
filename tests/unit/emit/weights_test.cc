// The weights blob and its checksum: offsets, padding, lookups, and CRC-32 against known values.
#include <gtest/gtest.h>

#include <string>

#include "runtime/core/checksum.h"
#include "src/emit/weights.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

TEST(WeightsBuilder, AlignsPiecesAndZeroFillsBetweenThem) {
  emit::WeightsBuilder w(8);
  const uint8_t a[3] = {1, 2, 3}, b[2] = {4, 5}, c[1] = {6};
  EXPECT_EQ(w.add(a, 3), 0);
  EXPECT_EQ(w.add(b, 2), 8);
  EXPECT_EQ(w.add(c, 1, 16), 16);  // an alignment of its own
  EXPECT_EQ(w.size(), 17u);
  EXPECT_EQ(w.data_at(9)[0], 5);
  EXPECT_EQ(w.data_at(1)[1], 3);
  EXPECT_THROW(w.data_at(12), Error);  // padding belongs to no piece
  std::vector<uint8_t> blob = w.take();
  std::vector<uint8_t> want = {1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 6};
  EXPECT_EQ(blob, want);
  EXPECT_EQ(w.size(), 0u);
}

TEST(Checksum, Crc32MatchesKnownValues) {
  // The standard check value of CRC-32 (ISO-HDLC), and lengths around the 8-byte steps.
  const std::string nine = "123456789";
  EXPECT_EQ(runtime::crc32(reinterpret_cast<const uint8_t*>(nine.data()), nine.size()), 0xCBF43926u);
  EXPECT_EQ(runtime::crc32(nullptr, 0), 0u);
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(runtime::crc32(reinterpret_cast<const uint8_t*>(fox.data()), fox.size()), 0x414FA339u);
  // Fed in two parts, the same as in one (the loader checks the blob as it streams in).
  auto* p = reinterpret_cast<const uint8_t*>(fox.data());
  EXPECT_EQ(runtime::crc32(p + 13, fox.size() - 13, runtime::crc32(p, 13)), 0x414FA339u);
}

}  // namespace
}  // namespace webdnn
