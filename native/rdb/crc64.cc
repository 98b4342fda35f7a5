// Slicing by 8: eight tables let the loop fold a whole 64-bit word per step instead of a
// byte, which keeps checksumming well below the cost of parsing (a plain byte-wise table
// runs at ~400 MB/s, slower than the reader it would sit in).
#include "crc64.h"

#include <cstring>

namespace raa {

namespace {
constexpr uint64_t kPoly = 0x95AC9329AC4BC9B5ull;

struct Tables {
  uint64_t t[8][256];
  Tables() {
    for (int i = 0; i < 256; i++) {
      uint64_t c = static_cast<uint64_t>(i);
      for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
      t[0][i] = c;
    }
    for (int i = 0; i < 256; i++)
      for (int s = 1; s < 8; s++) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
};
const Tables kTables;
}  // namespace

uint64_t crc64(uint64_t crc, const uint8_t* p, size_t len) {
  const auto& t = kTables.t;
  while (len >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);  // little-endian machines only (x86-64, arm64)
    crc ^= w;
    crc = t[7][crc & 0xff] ^ t[6][(crc >> 8) & 0xff] ^ t[5][(crc >> 16) & 0xff] ^ t[4][(crc >> 24) & 0xff] ^
          t[3][(crc >> 32) & 0xff] ^ t[2][(crc >> 40) & 0xff] ^ t[1][(crc >> 48) & 0xff] ^ t[0][crc >> 56];
    p += 8;
    len -= 8;
  }
  while (len--) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace raa
