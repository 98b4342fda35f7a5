#include "glob.h"

namespace raa {

namespace {
// Matches one [...] class at p (just after '['); advances p past ']'.
bool matchClass(std::string_view pat, size_t& p, char ch) {
  bool negate = p < pat.size() && pat[p] == '^';
  if (negate) p++;
  bool hit = false;
  while (p < pat.size() && pat[p] != ']') {
    if (pat[p] == '\\' && p + 1 < pat.size()) {
      p++;
      if (pat[p] == ch) hit = true;
    } else if (p + 2 < pat.size() && pat[p + 1] == '-' && pat[p + 2] != ']') {
      char lo = pat[p], hi = pat[p + 2];
      if (lo > hi) std::swap(lo, hi);
      if (ch >= lo && ch <= hi) hit = true;
      p += 2;
    } else if (pat[p] == ch) {
      hit = true;
    }
    p++;
  }
  if (p < pat.size()) p++;  // the ']'
  return negate ? !hit : hit;
}
}  // namespace

// Iterative matcher with one backtrack point per '*': linear in practice, no recursion
// depth to exhaust on hostile patterns.
bool globMatch(std::string_view pat, std::string_view s) {
  size_t p = 0, i = 0, starP = std::string_view::npos, starI = 0;
  while (i < s.size()) {
    if (p < pat.size()) {
      char pc = pat[p];
      if (pc == '*') {
        while (p < pat.size() && pat[p] == '*') p++;
        if (p == pat.size()) return true;
        starP = p;
        starI = i;
        continue;
      }
      if (pc == '?') {
        p++, i++;
        continue;
      }
      if (pc == '[') {
        size_t q = p + 1;
        if (matchClass(pat, q, s[i])) {
          p = q, i++;
          continue;
        }
      } else {
        size_t q = p;
        if (pc == '\\' && q + 1 < pat.size()) pc = pat[++q];
        if (pc == s[i]) {
          p = q + 1, i++;
          continue;
        }
      }
    }
    if (starP == std::string_view::npos) return false;
    p = starP;
    i = ++starI;
  }
  while (p < pat.size() && pat[p] == '*') p++;
  return p == pat.size();
}

}  // namespace raa
