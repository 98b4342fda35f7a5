// The compact containers RDB values are stored in: listpack, ziplist, intset, zipmap.
//
// Each decoder walks one blob from start to end and calls `f(item)` per element, after
// checking every header against the blob's real size: a count, a length or a back-link
// that lies is an error at its byte offset, never a read outside the blob. `base` is the
// blob's offset in the file, so errors name file offsets.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "crdt/int_text.h"
#include "rdb_error.h"

namespace raa {

// One element: a string, or an integer that readers see as its decimal text.
class ContainerItem {
 public:
  bool isInt = false;
  int64_t num = 0;
  std::string_view str;
  std::string_view text() const { return isInt ? const_cast<IntText&>(fmt_)(num) : str; }

 private:
  IntText fmt_;
};

namespace container_detail {
inline uint64_t le(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
inline int64_t signExtend(uint64_t v, int bits) {
  uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ m) - m);
}
// Listpack's back-length: the entry's size written so it reads right to left.
// Redis's own thresholds (one below each power of 128 moves up a byte early).
inline size_t backlenSize(size_t l) { return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5; }
inline size_t decodeBacklen(const uint8_t* last, size_t size) {
  size_t v = 0;
  for (size_t i = 0; i < size; i++) {
    v |= static_cast<size_t>(last[-static_cast<ptrdiff_t>(i)] & 127) << (7 * i);
  }
  return v;
}
}  // namespace container_detail

// Listpack: u32 total bytes, u16 count (65535: unknown), entries, 0xFF.
template <class F>
size_t forEachListpackItem(const uint8_t* b, size_t len, uint64_t base, F&& f) {
  using namespace container_detail;
  if (len < 7) formatError("listpack of " + std::to_string(len) + " bytes is shorter than its header", base);
  uint64_t total = le(b, 4), declared = le(b + 4, 2);
  if (total != len) formatError("listpack header says " + std::to_string(total) + " bytes, its string holds " + std::to_string(len), base);
  if (b[len - 1] != 0xFF) formatError("listpack does not end in 0xFF", base + len - 1);
  size_t p = 6, count = 0;
  ContainerItem it;
  while (p < len - 1) {
    uint8_t c = b[p];
    size_t head, dataLen = 0;
    it.isInt = true;
    if (c < 0x80) {
      head = 1, it.num = c;
    } else if ((c & 0xC0) == 0x80) {
      head = 1, dataLen = c & 0x3F, it.isInt = false;
    } else if ((c & 0xE0) == 0xC0) {
      if (p + 2 > len - 1) formatError("listpack entry runs past the end", base + p);
      head = 2, it.num = signExtend(((c & 0x1F) << 8) | b[p + 1], 13);
    } else if ((c & 0xF0) == 0xE0) {
      if (p + 2 > len - 1) formatError("listpack entry runs past the end", base + p);
      head = 2, dataLen = ((c & 0x0F) << 8) | b[p + 1], it.isInt = false;
    } else if (c == 0xF0) {
      if (p + 5 > len - 1) formatError("listpack entry runs past the end", base + p);
      head = 5, dataLen = le(b + p + 1, 4), it.isInt = false;
    } else if (c >= 0xF1 && c <= 0xF4) {
      static const int widths[] = {2, 3, 4, 8};
      int w = widths[c - 0xF1];
      if (p + 1 + w > len - 1) formatError("listpack entry runs past the end", base + p);
      head = 1 + w, it.num = signExtend(le(b + p + 1, w), 8 * w);
    } else {
      formatError("listpack entry has invalid encoding byte " + std::to_string(c), base + p);
    }
    size_t entry = head + dataLen;
    size_t back = backlenSize(entry);
    if (dataLen > len || p + entry + back > len - 1) formatError("listpack entry runs past the end", base + p);
    if (decodeBacklen(b + p + entry + back - 1, back) != entry)
      formatError("listpack entry's back-length does not match its size", base + p + entry);
    if (!it.isInt) it.str = std::string_view(reinterpret_cast<const char*>(b + p + head), dataLen);
    f(static_cast<const ContainerItem&>(it));
    p += entry + back;
    count++;
  }
  if (declared != 65535 && declared != count)
    formatError("listpack header counts " + std::to_string(declared) + " entries, it holds " + std::to_string(count), base + 4);
  return count;
}

// Ziplist: u32 bytes, u32 tail offset, u16 count (65535: count them), entries, 0xFF.
// Each entry starts with the previous entry's size, checked here.
template <class F>
size_t forEachZiplistItem(const uint8_t* b, size_t len, uint64_t base, F&& f) {
  using namespace container_detail;
  if (len < 11) formatError("ziplist of " + std::to_string(len) + " bytes is shorter than its header", base);
  uint64_t total = le(b, 4), tail = le(b + 4, 4), declared = le(b + 8, 2);
  if (total != len) formatError("ziplist header says " + std::to_string(total) + " bytes, its string holds " + std::to_string(len), base);
  if (tail > len - 1) formatError("ziplist tail offset " + std::to_string(tail) + " is past its end", base + 4);
  if (b[len - 1] != 0xFF) formatError("ziplist does not end in 0xFF", base + len - 1);
  size_t p = 10, count = 0, prevSize = 0, lastStart = 10;
  ContainerItem it;
  while (p < len - 1) {
    size_t start = p;
    size_t prevlen;
    if (b[p] < 254) {
      prevlen = b[p], p += 1;
    } else {
      if (b[p] == 255 || p + 5 > len - 1) formatError("ziplist entry has a bad previous-length field", base + p);
      prevlen = le(b + p + 1, 4), p += 5;
    }
    if (prevlen != prevSize) formatError("ziplist entry's previous-length does not match the previous entry", base + start);
    if (p >= len - 1) formatError("ziplist entry runs past the end", base + p);
    uint8_t c = b[p];
    size_t head = 1, dataLen = 0;
    it.isInt = true;
    switch (c >> 6) {
      case 0: dataLen = c & 0x3F, it.isInt = false; break;
      case 1:
        if (p + 2 > len - 1) formatError("ziplist entry runs past the end", base + p);
        head = 2, dataLen = ((c & 0x3F) << 8) | b[p + 1], it.isInt = false;
        break;
      case 2:
        if (c != 0x80 || p + 5 > len - 1) formatError("ziplist entry has invalid encoding byte " + std::to_string(c), base + p);
        head = 5, dataLen = (uint64_t{b[p + 1]} << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4], it.isInt = false;
        break;
      default: {
        int w;
        if (c == 0xC0) w = 2;
        else if (c == 0xD0) w = 4;
        else if (c == 0xE0) w = 8;
        else if (c == 0xF0) w = 3;
        else if (c == 0xFE) w = 1;
        else if (c >= 0xF1 && c <= 0xFD) w = 0, it.num = (c & 0x0F) - 1;
        else formatError("ziplist entry has invalid encoding byte " + std::to_string(c), base + p);
        if (p + 1 + w > len - 1) formatError("ziplist entry runs past the end", base + p);
        if (w) it.num = signExtend(le(b + p + 1, w), 8 * w);
        head = 1 + w;
      }
    }
    if (dataLen > len || p + head + dataLen > len - 1) formatError("ziplist entry runs past the end", base + p);
    if (!it.isInt) it.str = std::string_view(reinterpret_cast<const char*>(b + p + head), dataLen);
    f(static_cast<const ContainerItem&>(it));
    p += head + dataLen;
    prevSize = p - start;
    lastStart = start;
    count++;
  }
  if (count && tail != lastStart) formatError("ziplist tail offset does not point at its last entry", base + 4);
  if (declared != 65535 && declared != count)
    formatError("ziplist header counts " + std::to_string(declared) + " entries, it holds " + std::to_string(count), base + 8);
  return count;
}

// Intset: u32 width (2, 4 or 8), u32 count, the values sorted and distinct.
template <class F>
size_t forEachIntsetItem(const uint8_t* b, size_t len, uint64_t base, F&& f) {
  using namespace container_detail;
  if (len < 8) formatError("intset shorter than its header", base);
  uint64_t width = le(b, 4), n = le(b + 4, 4);
  if (width != 2 && width != 4 && width != 8) formatError("intset has invalid width " + std::to_string(width), base);
  if (8 + width * n != len) formatError("intset of " + std::to_string(n) + " values of " + std::to_string(width) + " bytes does not fill its " + std::to_string(len) + "-byte string", base + 4);
  ContainerItem it;
  it.isInt = true;
  for (uint64_t i = 0; i < n; i++) {
    int64_t v = signExtend(le(b + 8 + i * width, static_cast<int>(width)), static_cast<int>(8 * width));
    if (i && v <= it.num) formatError("intset values are not sorted and distinct", base + 8 + i * width);
    it.num = v;
    f(static_cast<const ContainerItem&>(it));
  }
  return n;
}

// Zipmap (hashes before Redis 2.6): u8 count, then per pair: length, field, length, u8 free,
// value, free padding; 0xFF ends. Lengths are one byte below 254, else 254 and a u32.
template <class F>
size_t forEachZipmapPair(const uint8_t* b, size_t len, uint64_t base, F&& f) {
  using namespace container_detail;
  if (len < 2) formatError("zipmap shorter than its header", base);
  size_t p = 1, count = 0;
  auto length = [&](size_t& out) {
    if (p >= len) formatError("zipmap runs past the end", base + p);
    if (b[p] < 254) {
      out = b[p++];
      return;
    }
    if (b[p] == 255 || p + 5 > len) formatError("zipmap has a bad length", base + p);
    out = le(b + p + 1, 4), p += 5;
  };
  for (;;) {
    if (p >= len) formatError("zipmap does not end in 0xFF", base + p);
    if (b[p] == 0xFF) break;
    size_t klen, vlen;
    length(klen);
    if (klen > len - p) formatError("zipmap field runs past the end", base + p);
    std::string_view field(reinterpret_cast<const char*>(b + p), klen);
    p += klen;
    length(vlen);
    if (p >= len) formatError("zipmap runs past the end", base + p);
    size_t free = b[p++];
    if (vlen > len - p || free > len - p - vlen) formatError("zipmap value runs past the end", base + p);
    f(field, std::string_view(reinterpret_cast<const char*>(b + p), vlen));
    p += vlen + free;
    count++;
  }
  if (p != len - 1) formatError("zipmap has bytes after its end marker", base + p);
  if (b[0] < 254 && b[0] != count)
    formatError("zipmap header counts " + std::to_string(b[0]) + " pairs, it holds " + std::to_string(count), base);
  return count;
}

}  // namespace raa
