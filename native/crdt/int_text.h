// Decimal text of an integer, without snprintf (which parses its format on every call):
// every integer reply and bulk header, and every integer an RDB container holds, goes
// through here.
#pragma once
#include <cstdint>
#include <string_view>

namespace raa {

class IntText {
 public:
  std::string_view operator()(int64_t v) {
    std::string_view s = line(v);
    return s.substr(0, s.size() - 2);
  }
  // The digits followed by CRLF, as RESP writes them.
  std::string_view line(int64_t v) {
    char* end = buf_ + sizeof buf_;
    char* p = end;
    *--p = '\n';
    *--p = '\r';
    uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
      *--p = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return std::string_view(p, static_cast<size_t>(end - p));
  }

 private:
  char buf_[24];
};

}  // namespace raa
