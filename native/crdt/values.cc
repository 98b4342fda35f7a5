#include "values.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace raa {

bool parseInt64(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool neg = false;
  if (s.size() == 1 && s[0] == '0') {
    out = 0;
    return true;
  }
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  unsigned __int128 v = 0;
  for (; i < s.size(); i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > (static_cast<unsigned __int128>(INT64_MAX) + 1)) return false;
  }
  if (neg) {
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
    out = static_cast<int64_t>(-static_cast<__int128>(v));
  } else {
    if (v > INT64_MAX) return false;
    out = static_cast<int64_t>(v);
  }
  return true;
}

bool parseCursor(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 32 || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  out = strtoull(buf.c_str(), &end, 10);
  return *end == '\0' && errno != ERANGE;
}

static bool spaceAt(std::string_view s, size_t i) { return std::isspace(static_cast<unsigned char>(s[i])); }

bool parseLongDouble(std::string_view s, long double& out) {
  if (s.empty() || s.size() > 5 * 1024 || spaceAt(s, 0) || spaceAt(s, s.size() - 1)) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  long double v = strtold(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || errno == ERANGE || std::isnan(v)) return false;
  out = v;
  return true;
}

bool parseDouble(std::string_view s, double& out) {
  if (s.empty() || spaceAt(s, 0) || spaceAt(s, s.size() - 1)) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) ||
      std::isnan(v))
    return false;
  out = v;
  return true;
}

std::string formatLongDouble(long double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[5 * 1024 + 64];
  int l = snprintf(buf, sizeof buf, "%.17Lf", v);
  if (l < 0 || static_cast<size_t>(l) >= sizeof buf) return "0";
  if (std::strchr(buf, '.')) {
    char* p = buf + l - 1;
    while (*p == '0') p--, l--;
    if (*p == '.') l--;
  }
  if (l == 2 && buf[0] == '-' && buf[1] == '0') return "0";
  return std::string(buf, l);
}

std::string formatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // Redis never shows -0
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf, n);
}

std::string formatInt128(__int128 v) {
  char buf[48];
  int i = sizeof buf;
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  do {
    buf[--i] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u);
  if (neg) buf[--i] = '-';
  return std::string(buf + i, sizeof buf - i);
}

// The cell's number, before formatting, once `origin` has counted `step` more (as
// bumpCounter will: a fully reset count starts a new incarnation).
static long double numberAfter(const Cell& c, uint16_t origin, long double step) {
  Counters counts = c.counters ? *c.counters : Counters{};
  Counter* mine = &counts.findOrAdd(origin);
  if (mine->inc == 0 || mine->coveredByReset()) {
    mine->inc = mine->seq = mine->binc + 1;
    mine->ti = 0;
    mine->tf = 0;
  }
  mine->tf += step;
  long double base = 0;
  if (const Entry* w = c.winner()) parseLongDouble(w->val.view(), base);
  return base + static_cast<long double>(counts.sumInt()) + counts.sumFloat();
}

long double floatIncrement(const Cell* cell, uint16_t origin, long double current, long double by,
                           std::string& reply) {
  reply = formatLongDouble(current + by);
  long double rounded;
  if (!parseLongDouble(reply, rounded) || !cell) return cell ? by : rounded;
  // The sum has several roundings of its own: correct the step until it lands exactly.
  long double step = by;
  for (int i = 0; i < 4; i++) {
    long double got = numberAfter(*cell, origin, step);
    if (got == rounded) break;
    step += rounded - got;
  }
  return step;
}

std::string stringValue(const Cell& c) {
  const Entry* w = c.winner();
  if (!c.counters) return w ? w->val.str() : std::string("0");
  __int128 si = c.counters->sumInt();
  bool anyFloat = c.counters->anyFloat();
  if (si == 0 && !anyFloat) return w ? w->val.str() : std::string("0");
  std::string_view base = w ? w->val.view() : std::string_view("0");
  int64_t bi;
  if (!anyFloat && parseInt64(base, bi)) return formatInt128(si + bi);
  long double bf;
  // A non-numeric SET concurrent with increments: the SET value shows, the counts wait.
  if (!parseLongDouble(base, bf)) return std::string(base);
  return formatLongDouble(bf + static_cast<long double>(si) + c.counters->sumFloat());
}

bool stringInt(const Cell& c, int64_t& out) {
  const Entry* w = c.winner();
  std::string_view base = w ? w->val.view() : std::string_view("0");
  if (!c.counters) return parseInt64(base, out);
  int64_t bi;
  // Float counts, or a non-integer value under the counts: the rare cases go through the text.
  if (c.counters->anyFloat() || !parseInt64(base, bi)) return parseInt64(stringValue(c), out);
  __int128 v = c.counters->sumInt() + bi;
  if (v < INT64_MIN || v > INT64_MAX) return false;
  out = static_cast<int64_t>(v);
  return true;
}

}  // namespace raa
