// Byte buffers for the effect and snapshot codecs.
//
// Every length and number read from a buffer is checked against what is left, so a
// corrupt or hostile buffer ends in a DecodeError naming the byte offset, never in a read
// past the end or an allocation the input did not pay for.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace raa {

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  // Byte by byte: push_back is inlined, append is a call (a third of encoding a SET).
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  // Zigzag keeps small negative numbers short.
  void svarint(int64_t v) { varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void fixed64(uint64_t v) {
    char buf[8];
    std::memcpy(buf, &v, 8);
    out_.append(buf, 8);
  }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    fixed64(bits);
  }
  void bytes(std::string_view s) {
    varint(s.size());
    out_.append(s.data(), s.size());
  }
  void raw(std::string_view s) { out_.append(s.data(), s.size()); }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t len) : p_(data), begin_(data), end_(data + len) {}
  bool done() const { return p_ == end_; }
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }
  size_t left() const { return static_cast<size_t>(end_ - p_); }

  uint8_t u8() {
    need(1);
    return *p_++;
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      uint8_t b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail("varint longer than 10 bytes");
  }
  int64_t svarint() {
    uint64_t z = varint();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  uint64_t fixed64() {
    need(8);
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  double f64() {
    uint64_t bits = fixed64();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  std::string_view bytes() {
    uint64_t n = varint();
    need(n);
    std::string_view s(reinterpret_cast<const char*>(p_), static_cast<size_t>(n));
    p_ += n;
    return s;
  }
  std::string_view raw(size_t n) {
    need(n);
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  // A count of items that each take at least `min_item_bytes` must fit in what is left:
  // this bounds every reserve() by the input's own size.
  uint64_t count(size_t min_item_bytes) {
    uint64_t n = varint();
    if (min_item_bytes && n > left() / min_item_bytes) fail("count " + std::to_string(n) + " larger than the buffer");
    return n;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw DecodeError(what + " at byte " + std::to_string(offset()));
  }

 private:
  void need(uint64_t n) const {
    if (n > left()) fail("truncated input (need " + std::to_string(n) + " bytes, " + std::to_string(left()) + " left)");
  }
  const uint8_t* p_;
  const uint8_t* begin_;
  const uint8_t* end_;
};

// A fast 64-bit hash (multiply-xorshift over 8-byte words) for checksums and digests.
uint64_t hash64(const void* data, size_t len, uint64_t seed);

}  // namespace raa
