// RESP2 reply writer. Commands write their replies straight into the bytes a socket will
// send; the embedded API decodes them in JS, the server (next issue) ships them as is.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace raa {

class Reply {
 public:
  void status(std::string_view s) {
    out_.push_back('+');
    line(s);
  }
  void error(std::string_view s) {
    out_.push_back('-');
    line(s);
  }
  void integer(int64_t v) {
    out_.push_back(':');
    number(v);
  }
  void bulk(std::string_view s) {
    out_.push_back('$');
    number(static_cast<int64_t>(s.size()));
    out_.append(s.data(), s.size());
    out_.append("\r\n", 2);
  }
  void null() { out_.append("$-1\r\n", 5); }
  void nullArray() { out_.append("*-1\r\n", 5); }
  void array(size_t n) {
    out_.push_back('*');
    number(static_cast<int64_t>(n));
  }
  void ok() { out_.append("+OK\r\n", 5); }
  // Drop what a command wrote after mark() (a command that failed half-way answers an error).
  size_t mark() const { return out_.size(); }
  void truncate(size_t at) { out_.resize(at); }

  std::string& bytes() { return out_; }
  void clear() {
    out_.clear();
  }

 private:
  void line(std::string_view s) {
    out_.append(s.data(), s.size());
    out_.append("\r\n", 2);
  }
  void number(int64_t v) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld\r\n", static_cast<long long>(v));
    out_.append(buf, n);
  }
  std::string out_;
};

}  // namespace raa
