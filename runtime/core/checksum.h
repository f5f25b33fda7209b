#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace webdnn::runtime {

// CRC-32 (IEEE 802.3, as zlib and PNG use) of `size` bytes.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);
// Eight lowercase hex digits, as descriptors write it.
std::string crc32_hex(uint32_t crc);

}  // namespace webdnn::runtime
