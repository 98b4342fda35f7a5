#include <cstring>

#include "bytes.h"

namespace raa {

static inline uint64_t mix(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

uint64_t hash64(const void* data, size_t len, uint64_t seed) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  uint64_t h = seed ^ mix(seed ^ k0, len ^ k1);
  while (len >= 16) {
    uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    h = mix(a ^ k1 ^ h, b ^ k2);
    p += 16;
    len -= 16;
  }
  uint64_t a = 0, b = 0;
  if (len >= 8) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + len - 8, 8);
  } else if (len > 0) {
    // The tail's bytes as a zero-padded little-endian word, assembled from loads of the
    // input: copying them into a zeroed buffer and reading it back whole stalls the read
    // until those narrower stores retire. (The value is a format: checksums use it.)
    if (len >= 4) {
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + len - 4, 4);
      a = lo | (uint64_t{hi} >> (8 * (8 - len))) << 32;
    } else {
      a = p[0] | (len > 1 ? uint64_t{p[1]} << 8 : 0) | (len > 2 ? uint64_t{p[2]} << 16 : 0);
    }
    b = len;
  }
  h = mix(a ^ k1 ^ h, b ^ k2 ^ len);
  return mix(h ^ k0, h ^ k2);
}

}  // namespace raa
