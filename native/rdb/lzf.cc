#include "lzf.h"

#include <cstring>
#include <vector>

namespace raa {

namespace {
constexpr size_t kMaxLiteral = 32;
constexpr size_t kMaxOffset = 8192;
constexpr size_t kMaxMatch = 264;  // 7 + 255 + 2
constexpr int kHashBits = 14;
}  // namespace

bool lzfDecompress(const uint8_t* in, size_t inLen, uint8_t* out, size_t outLen) {
  const uint8_t* ip = in;
  const uint8_t* iend = in + inLen;
  size_t op = 0;
  while (ip < iend) {
    size_t ctrl = *ip++;
    if (ctrl < 32) {  // literal run of ctrl + 1 bytes
      size_t n = ctrl + 1;
      if (n > static_cast<size_t>(iend - ip) || n > outLen - op) return false;
      std::memcpy(out + op, ip, n);
      ip += n;
      op += n;
      continue;
    }
    size_t len = ctrl >> 5;
    if (len == 7) {
      if (ip == iend) return false;
      len += *ip++;
    }
    len += 2;
    if (ip == iend) return false;
    size_t back = ((ctrl & 0x1f) << 8) + *ip++ + 1;
    if (back > op || len > outLen - op) return false;
    // Byte by byte: a reference may overlap the bytes it produces (a repeated run).
    const uint8_t* ref = out + op - back;
    for (size_t i = 0; i < len; i++) out[op + i] = ref[i];
    op += len;
  }
  return op == outLen;
}

// Greedy compressor: a hash of the next three bytes remembers where they were last seen;
// a match within reach becomes a back reference, anything else goes into literal runs.
bool lzfCompress(const uint8_t* in, size_t inLen, std::string& out, size_t minSaving) {
  if (inLen < 4 || inLen <= minSaving) return false;
  size_t start = out.size();
  size_t limit = inLen - minSaving;  // compressed bytes allowed
  // Positions + 1 of recent 3-byte sequences. Not cleared between calls (that would cost
  // 64 KB of writes per string): an entry left by an earlier input is only a candidate,
  // taken when it lies before the current position and its bytes really match.
  thread_local std::vector<uint32_t> table(size_t{1} << kHashBits, 0);
  std::string& o = out;
  size_t litStart = 0;  // first byte of the pending literal run
  auto flushLiterals = [&](size_t upTo) {
    while (litStart < upTo) {
      size_t n = upTo - litStart < kMaxLiteral ? upTo - litStart : kMaxLiteral;
      o.push_back(static_cast<char>(n - 1));
      o.append(reinterpret_cast<const char*>(in + litStart), n);
      litStart += n;
    }
  };
  size_t i = 0;
  while (i + 2 < inLen) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    uint32_t h = (v * 2654435761u) >> (32 - kHashBits);
    size_t cand = table[h];
    table[h] = static_cast<uint32_t>(i + 1);
    if (cand && cand - 1 < i && i - (cand - 1) <= kMaxOffset && std::memcmp(in + cand - 1, in + i, 3) == 0) {
      size_t ref = cand - 1;
      size_t len = 3;
      size_t maxLen = inLen - i < kMaxMatch ? inLen - i : kMaxMatch;
      while (len < maxLen && in[ref + len] == in[i + len]) len++;
      flushLiterals(i);
      size_t back = i - ref - 1;
      size_t code = len - 2;
      if (code < 7) {
        o.push_back(static_cast<char>((code << 5) | (back >> 8)));
      } else {
        o.push_back(static_cast<char>((7 << 5) | (back >> 8)));
        o.push_back(static_cast<char>(code - 7));
      }
      o.push_back(static_cast<char>(back & 0xff));
      i += len;
      litStart = i;
    } else {
      i++;
    }
    if (o.size() - start > limit) {
      o.resize(start);
      return false;
    }
  }
  flushLiterals(inLen);
  if (o.size() - start > limit) {
    o.resize(start);
    return false;
  }
  return true;
}

}  // namespace raa
