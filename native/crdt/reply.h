// RESP2/RESP3 reply writer. Commands write their replies straight into the bytes a socket
// will send; the embedded API decodes them in JS, the server ships them as is. Commands say
// what a reply is (a null, a map, a set, a double, pairs) and the writer spells it in the
// client's protocol, so one command body serves both.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "int_text.h"

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
  void null() { resp3_ ? out_.append("_\r\n", 3) : out_.append("$-1\r\n", 5); }
  void nullArray() { resp3_ ? out_.append("_\r\n", 3) : out_.append("*-1\r\n", 5); }
  void array(size_t n) { header('*', n); }
  // n field/value pairs: a RESP3 map, a flat array in RESP2.
  void map(size_t n) { resp3_ ? header('%', n) : header('*', 2 * n); }
  void set(size_t n) { header(resp3_ ? '~' : '*', n); }
  // n pairs (member and score, field and value): RESP3 nests each in an array of two,
  // RESP2 flattens them; pair() opens one.
  void pairs(size_t n) { header('*', resp3_ ? n : 2 * n); }
  void pair() {
    if (resp3_) out_.append("*2\r\n", 4);
  }
  // A double already formatted the way Redis formats it: a bulk string in RESP2.
  void dbl(std::string_view text) {
    if (!resp3_) return bulk(text);
    out_.push_back(',');
    line(text);
  }
  void ok() { out_.append("+OK\r\n", 5); }
  // Drop what a command wrote after mark() (a command that failed half-way answers an error).
  size_t mark() const { return out_.size(); }
  void truncate(size_t at) { out_.resize(at); }

  void setResp3(bool on) { resp3_ = on; }
  bool resp3() const { return resp3_; }
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
    IntText text;
    std::string_view t = text.line(v);
    out_.append(t.data(), t.size());
  }
  void header(char type, size_t n) {
    out_.push_back(type);
    number(static_cast<int64_t>(n));
  }
  std::string out_;
  bool resp3_ = false;
};

}  // namespace raa
