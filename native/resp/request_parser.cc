#include "request_parser.h"

#include <cstring>

namespace raa {

namespace {
constexpr int64_t kMaxMultibulk = 1024 * 1024;
constexpr int64_t kMaxBulk = 512ll * 1024 * 1024;

// Reads "<prefix><int>\r\n" at p; returns 1, 0 (incomplete) or -1 (malformed).
int readHeader(const uint8_t* data, size_t len, size_t& p, char prefix, int64_t& out) {
  if (p >= len) return 0;
  if (data[p] != prefix) return -1;
  const void* cr = std::memchr(data + p, '\r', len - p);
  if (!cr) return len - p > 32 ? -1 : 0;
  size_t end = static_cast<const uint8_t*>(cr) - data;
  if (end + 1 >= len) return 0;
  if (data[end + 1] != '\n') return -1;
  int64_t v = 0;
  bool neg = false;
  size_t i = p + 1;
  if (i < end && data[i] == '-') neg = true, i++;
  if (i == end || end - i > 18) return -1;
  for (; i < end; i++) {
    if (data[i] < '0' || data[i] > '9') return -1;
    v = v * 10 + (data[i] - '0');
  }
  out = neg ? -v : v;
  p = end + 2;
  return 1;
}
}  // namespace

int RequestParser::next(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv,
                        std::string& error) {
  for (;;) {
    size_t p = pos;
    int64_t n;
    int rc = readHeader(data, len, p, '*', n);
    if (rc <= 0) {
      if (rc < 0) error = "Protocol error: invalid multibulk length";
      return rc;
    }
    if (n > kMaxMultibulk) {
      error = "Protocol error: invalid multibulk length";
      return -1;
    }
    if (n <= 0) {  // "*0" and "*-1": Redis skips them without a reply
      pos = p;
      continue;
    }
    argv.clear();
    for (int64_t i = 0; i < n; i++) {
      int64_t blen;
      rc = readHeader(data, len, p, '$', blen);
      if (rc < 0) {
        error = p < len && data[p] != '$' ? std::string("Protocol error: expected '$', got '") + char(data[p]) + "'"
                                          : "Protocol error: invalid bulk length";
        return -1;
      }
      if (rc == 0) return 0;
      if (blen < 0 || blen > kMaxBulk) {
        error = "Protocol error: invalid bulk length";
        return -1;
      }
      if (len - p < static_cast<size_t>(blen) + 2) return 0;
      if (data[p + blen] != '\r' || data[p + blen + 1] != '\n') {
        error = "Protocol error: bulk string not terminated by CRLF";
        return -1;
      }
      argv.emplace_back(reinterpret_cast<const char*>(data + p), static_cast<size_t>(blen));
      p += blen + 2;
    }
    pos = p;
    return 1;
  }
}

}  // namespace raa
