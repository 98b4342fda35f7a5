#include "request_parser.h"

#include <cstring>

namespace raa {

namespace {
// Reads "<prefix><int>\r\n" at p (the prefix already checked); returns 1, 0 (incomplete) or
// -1 (not a number as Redis's string2ll reads them: no sign on zero, no leading zeros).
// `tooBig` is set when no line end came within the inline limit.
int readHeader(const uint8_t* data, size_t len, size_t& p, int64_t& out, bool& tooBig) {
  const void* cr = std::memchr(data + p, '\r', len - p);
  if (!cr) {
    tooBig = len - p > RequestParser::kMaxInline;
    return tooBig ? -1 : 0;
  }
  size_t end = static_cast<const uint8_t*>(cr) - data;
  if (end + 1 >= len) return 0;
  if (data[end + 1] != '\n') return -1;
  int64_t v = 0;
  bool neg = false;
  size_t i = p + 1;
  if (i < end && data[i] == '-') neg = true, i++;
  if (i == end || end - i > 18 || (data[i] == '0' && (end - i > 1 || neg))) return -1;
  for (; i < end; i++) {
    if (data[i] < '0' || data[i] > '9') return -1;
    v = v * 10 + (data[i] - '0');
  }
  out = neg ? -v : v;
  p = end + 2;
  return 1;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits an inline request line the way Redis's sdssplitargs does: blanks separate
// arguments; "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes'
// take only \'; a closing quote must be followed by a blank. False on unbalanced quotes.
bool splitArgs(std::string_view line, std::vector<std::string>& out) {
  size_t i = 0, n = line.size();
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  for (;;) {
    while (i < n && blank(line[i])) i++;
    if (i == n) return true;
    std::string arg;
    char quote = 0;
    for (;;) {
      if (quote == '"') {
        if (i == n) return false;
        if (line[i] == '\\' && i + 3 < n && line[i + 1] == 'x' && hexDigit(line[i + 2]) >= 0 &&
            hexDigit(line[i + 3]) >= 0) {
          arg.push_back(static_cast<char>(hexDigit(line[i + 2]) * 16 + hexDigit(line[i + 3])));
          i += 4;
        } else if (line[i] == '\\' && i + 1 < n) {
          char e = line[i + 1];
          arg.push_back(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == 'b' ? '\b' : e == 'a' ? '\a' : e);
          i += 2;
        } else if (line[i] == '"') {
          if (++i < n && !blank(line[i])) return false;
          break;
        } else {
          arg.push_back(line[i++]);
        }
      } else if (quote == '\'') {
        if (i == n) return false;
        if (line[i] == '\\' && i + 1 < n && line[i + 1] == '\'') {
          arg.push_back('\'');
          i += 2;
        } else if (line[i] == '\'') {
          if (++i < n && !blank(line[i])) return false;
          break;
        } else {
          arg.push_back(line[i++]);
        }
      } else {
        if (i == n || blank(line[i])) break;
        if (line[i] == '"' || line[i] == '\'') quote = line[i++];
        else arg.push_back(line[i++]);
      }
    }
    out.push_back(std::move(arg));
  }
}
}  // namespace

int RequestParser::next(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv,
                        std::string& error, Progress* progress) {
  for (;;) {
    if (pos >= len) return 0;
    int rc = data[pos] == '*' ? multibulk(data, len, pos, argv, error, progress) : inl(data, len, pos, argv, error);
    if (rc != 0 && progress) *progress = Progress{};
    if (rc != 1 || !argv.empty()) return rc;
  }
}

int RequestParser::multibulk(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv,
                             std::string& error, Progress* progress) {
  size_t p = pos;
  int64_t n;
  bool tooBig = false;
  int rc = readHeader(data, len, p, n, tooBig);
  if (rc <= 0) {
    if (rc < 0) error = tooBig ? "Protocol error: too big mbulk count string" : "Protocol error: invalid multibulk length";
    return rc;
  }
  if (n > kMaxMultibulk) {
    error = "Protocol error: invalid multibulk length";
    return -1;
  }
  if (unauthenticated && n > kUnauthenticatedMultibulk) {
    error = "Protocol error: unauthenticated multibulk length";
    return -1;
  }
  argv.clear();
  int64_t i = 0;
  // Resuming: the arguments before progress->offset were checked by an earlier call. They
  // are only walked past; once the request is whole it is read again, once, for its views.
  bool resumed = progress && progress->args > 0 && progress->offset <= len - pos && progress->args <= static_cast<uint64_t>(n);
  if (resumed) {
    p = pos + progress->offset;
    i = static_cast<int64_t>(progress->args);
  }
  for (; i < n; i++) {
    if (progress) *progress = Progress{p - pos, static_cast<uint64_t>(i)};
    if (p >= len) return 0;
    if (data[p] != '$') {
      error = std::string("Protocol error: expected '$', got '") + char(data[p]) + "'";
      return -1;
    }
    int64_t blen;
    rc = readHeader(data, len, p, blen, tooBig);
    if (rc == 0) return 0;
    if (rc < 0 || blen < 0 || blen > maxBulk) {
      error = tooBig ? "Protocol error: too big bulk count string" : "Protocol error: invalid bulk length";
      return -1;
    }
    if (unauthenticated && blen > kUnauthenticatedBulk) {
      error = "Protocol error: unauthenticated bulk length";
      return -1;
    }
    if (len - p < static_cast<size_t>(blen) + 2) return 0;
    if (data[p + blen] != '\r' || data[p + blen + 1] != '\n') {
      error = "Protocol error: bulk string not terminated by CRLF";
      return -1;
    }
    if (!resumed) argv.emplace_back(reinterpret_cast<const char*>(data + p), static_cast<size_t>(blen));
    p += blen + 2;
  }
  if (resumed) return multibulk(data, len, pos, argv, error, nullptr);
  pos = p;  // "*0" and "*-1" leave argv empty: skipped without a reply, as Redis does
  return 1;
}

int RequestParser::inl(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv,
                       std::string& error) {
  const void* nl = std::memchr(data + pos, '\n', len - pos);
  if (!nl) {
    if (len - pos <= kMaxInline) return 0;
    error = "Protocol error: too big inline request";
    return -1;
  }
  size_t end = static_cast<const uint8_t*>(nl) - data;
  std::string_view line(reinterpret_cast<const char*>(data + pos), end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  inlineArgs_.clear();
  if (!splitArgs(line, inlineArgs_)) {
    error = "Protocol error: unbalanced quotes in request";
    return -1;
  }
  argv.assign(inlineArgs_.begin(), inlineArgs_.end());
  pos = end + 1;
  return 1;
}

}  // namespace raa
