#include "runtime/core/checksum.h"

#include <array>
#include <cstdio>

namespace webdnn::runtime {
namespace {
// Slicing by 8: table[k][b] is the CRC of byte b followed by k zero bytes, so eight bytes are
// folded per step (the weights of VGG16 are over 500 MB, checked at convert and at load time).
using Tables = std::array<std::array<uint32_t, 256>, 8>;
Tables make_tables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (int k = 1; k < 8; k++)
    for (uint32_t i = 0; i < 256; i++) t[k][i] = t[0][t[k - 1][i] & 0xff] ^ (t[k - 1][i] >> 8);
  return t;
}
}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static const Tables t = make_tables();
  crc = ~crc;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint32_t lo = crc ^ (uint32_t(data[i]) | uint32_t(data[i + 1]) << 8 | uint32_t(data[i + 2]) << 16 | uint32_t(data[i + 3]) << 24);
    crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][data[i + 4]] ^
          t[2][data[i + 5]] ^ t[1][data[i + 6]] ^ t[0][data[i + 7]];
  }
  for (; i < size; i++) crc = t[0][(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::string crc32_hex(uint32_t crc) {
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", crc);
  return buf;
}

}  // namespace webdnn::runtime
