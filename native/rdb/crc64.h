// CRC-64/Jones, the checksum at the end of every RDB file (version 5 and later) and of
// every DUMP payload: reflected polynomial 0x95AC9329AC4BC9B5, init 0, no final xor.
#pragma once
#include <cstddef>
#include <cstdint>

namespace raa {

// Continues `crc` over `len` more bytes (start with 0).
uint64_t crc64(uint64_t crc, const uint8_t* data, size_t len);

}  // namespace raa
