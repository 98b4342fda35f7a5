// Sorted-set commands. Membership is an add-wins observed-remove set of member cells; a
// member's score is its cell's last-writer-wins value (ZADD) plus its counters (ZINCRBY),
// so concurrent increments add up and a ZREM removes only what it had seen. The join code
// (keyspace.cc joinZSet) keeps each member's visible score and the (score, member) order;
// commands here only read that order and build deltas.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "../glob.h"
#include "containers.h"

namespace raa {

namespace {

// ---- reading ----

bool fail(Cmd& c, const char* error) {
  c.r.error(error);
  return false;
}

bool readZSet(Cmd& c, std::string_view key, KeyState*& k) {
  k = c.ks.lookupRead(key);
  return typeIs(c, k, Type::ZSet);
}
bool writeZSet(Cmd& c, std::string_view key, KeyState*& k) {
  k = c.ks.lookupWrite(key);
  return typeIs(c, k, Type::ZSet);
}
// The zset of a key that typeIs accepted (null when absent).
const ZSetVal* zsetOf(const KeyState* k) { return k ? k->zset.get() : nullptr; }

// The visible member's score, or nothing.
std::optional<double> liveScore(const ZSetVal* z, std::string_view member) {
  const CellMap::Field* f = z ? z->live(member) : nullptr;
  if (!f) return std::nullopt;
  return zsetScore(f->cell);
}

// Stored scores are never -0 (see setScore), but ZINCRBY replies the sum it computed, and
// Redis shows that as "-0" (formatDouble hides the sign).
void replyScore(Cmd& c, double score) { c.r.dbl(score == 0 && std::signbit(score) ? "-0" : formatDouble(score)); }

void replyMembers(Cmd& c, const std::vector<std::pair<std::string, double>>& items, bool withScores) {
  withScores ? c.r.pairs(items.size()) : c.r.array(items.size());
  for (const auto& [member, score] : items) {
    if (withScores) c.r.pair();
    c.r.bulk(member);
    if (withScores) replyScore(c, score);
  }
}

// ---- writing ----

// One write to a zset key: member deltas collected, then committed at once. A write that
// creates the key replaces whatever the key still held (coverOtherTypes).
class ZWrite {
 public:
  ZWrite(Keyspace& ks, std::string_view key, bool keyExists) : ks_(ks), d_(deltaFor(key)) {
    const KeyState* raw = ks.find(key);
    if (!keyExists) {
      coverOtherTypes(raw, d_, Type::ZSet);
    }
    z_ = raw ? raw->zset.get() : nullptr;
  }

  // ZADD: last writer wins; the write replaces the score and resets the counts it saw.
  // -0 is stored as 0, as Redis's small (listpack) zsets do.
  void setScore(std::string_view member, double score) {
    CellDelta& cd = part(member);
    if (const Cell* cell = cellOf(member)) cell->coverAll(cd);
    cd.add.push_back(scoreEntry(ks_, score == 0 ? 0.0 : score));
  }

  // ZINCRBY: moves the score to `target` (= visible score + increment) by counting, so that
  // concurrent increments add up. Infinite scores cannot be counted (inf - inf), so they are
  // written as a ZADD.
  void incrementTo(std::string_view member, double target) {
    if (!std::isfinite(target)) return setScore(member, target);
    const Cell* cell = cellOf(member);
    long double now = cell && cell->visible() ? zsetScoreExact(*cell) : 0;
    // Count the difference to the target rather than the increment itself: the visible score
    // then rounds exactly as Redis's chain of double additions does.
    countInto(ks_, cell, part(member), 0, static_cast<long double>(target) - now);
  }

  // ZREM and friends: observed remove.
  void remove(std::string_view member) {
    if (const Cell* cell = cellOf(member)) cell->coverAll(part(member));
  }

  void commit() {
    if (!d_.empty()) ks_.commit(d_);
  }

 private:
  CellDelta& part(std::string_view member) {
    d_.zset.emplace_back(std::string(member), CellDelta{});
    return d_.zset.back().second;
  }
  const Cell* cellOf(std::string_view member) const {
    const CellMap::Field* f = z_ ? z_->members().find(member) : nullptr;
    return f ? &f->cell : nullptr;
  }
  Keyspace& ks_;
  KeyDelta d_;
  const ZSetVal* z_;
};

// ---- ranges ----

// The members of ranks [lo, hi) in ascending order.
struct Span {
  size_t lo = 0, hi = 0;
};

// Visits a span's items in the given direction, after skipping `offset` of them, at most
// `limit` of them (-1: all). A negative offset selects nothing, as in Redis.
template <class F>
void walk(const ZSetVal& z, const Span& s, bool reverse, int64_t offset, int64_t limit, const F& f) {
  if (offset < 0 || s.hi <= s.lo || static_cast<uint64_t>(offset) >= s.hi - s.lo) return;
  size_t n = s.hi - s.lo - static_cast<size_t>(offset);
  if (limit >= 0 && static_cast<uint64_t>(limit) < n) n = static_cast<size_t>(limit);
  if (n == 0) return;
  ZOrder::Cursor c = z.order().at(reverse ? s.hi - 1 - static_cast<size_t>(offset) : s.lo + static_cast<size_t>(offset));
  for (size_t i = 0; i < n; i++) {
    f(*c);
    if (i + 1 < n) reverse ? --c : ++c;
  }
}

std::vector<std::pair<std::string, double>> collect(const ZSetVal& z, const Span& s, bool reverse, int64_t offset,
                                                    int64_t limit) {
  std::vector<std::pair<std::string, double>> out;
  walk(z, s, reverse, offset, limit, [&](const ZOrder::Item& it) { out.emplace_back(z.nameOf(it), it.score); });
  return out;
}

// Ranks as ZRANGE takes them: negative from the end, clamped; reverse ranks count from the top.
Span rankSpan(const ZSetVal& z, int64_t start, int64_t end, bool reverse) {
  int64_t len = static_cast<int64_t>(z.order().size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return {};
  if (end >= len) end = len - 1;
  int64_t first = reverse ? len - 1 - end : start;
  return {static_cast<size_t>(first), static_cast<size_t>(first + end - start + 1)};
}

// Score bounds: a float as strtod reads it ("inf", "-inf", even ""), "(" for exclusive.
struct ScoreRange {
  double min = 0, max = 0;
  bool minex = false, maxex = false;
};

bool parseScoreBound(std::string_view s, double& v, bool& ex) {
  ex = !s.empty() && s[0] == '(';
  std::string buf(s.substr(ex ? 1 : 0));
  char* end;
  v = std::strtod(buf.c_str(), &end);
  return *end == '\0' && !std::isnan(v);
}

bool scoreRangeArg(Cmd& c, std::string_view min, std::string_view max, ScoreRange& r) {
  if (parseScoreBound(min, r.min, r.minex) && parseScoreBound(max, r.max, r.maxex)) return true;
  c.r.error("ERR min or max is not a float");
  return false;
}

// The rank of the first member whose score is >= v, or > v. The empty name sorts before
// every member: (v, "") starts v's run.
size_t scoreAtLeast(const ZSetVal& z, double v) { return z.order().bound(v, {}, false); }
size_t scoreAbove(const ZSetVal& z, double v) {
  return v == HUGE_VAL ? z.order().size() : scoreAtLeast(z, std::nextafter(v, HUGE_VAL));
}

Span scoreSpan(const ZSetVal& z, const ScoreRange& r) {
  if (r.min > r.max || (r.min == r.max && (r.minex || r.maxex))) return {};
  return {r.minex ? scoreAbove(z, r.min) : scoreAtLeast(z, r.min),
          r.maxex ? scoreAtLeast(z, r.max) : scoreAbove(z, r.max)};
}

// Lex bounds: "-" and "+" (below and above every member), "[m" inclusive, "(m" exclusive.
struct LexBound {
  enum Kind { Lowest, Member, Highest } kind = Lowest;
  std::string member;
  bool ex = true;
};
struct LexRange {
  LexBound min, max;
};

bool parseLexBound(std::string_view s, LexBound& b) {
  if (s.empty()) return false;
  bool alone = s.size() == 1 || s[1] == '\0';  // Redis reads the argument as a C string here
  switch (s[0]) {
    case '-': b = {LexBound::Lowest, "", true}; return alone;
    case '+': b = {LexBound::Highest, "", true}; return alone;
    case '(': b = {LexBound::Member, std::string(s.substr(1)), true}; return true;
    case '[': b = {LexBound::Member, std::string(s.substr(1)), false}; return true;
    default: return false;
  }
}

bool lexRangeArg(Cmd& c, std::string_view min, std::string_view max, LexRange& r) {
  if (parseLexBound(min, r.min) && parseLexBound(max, r.max)) return true;
  c.r.error("ERR min or max not valid string range item");
  return false;
}

// Sign of (member - bound).
int lexCompare(std::string_view m, const LexBound& b) {
  if (b.kind != LexBound::Member) return b.kind == LexBound::Lowest ? 1 : -1;
  int c = m.compare(b.member);  // byte order, as the member order
  return (c > 0) - (c < 0);
}
bool aboveMin(std::string_view m, const LexRange& r) {
  int c = lexCompare(m, r.min);
  return r.min.ex ? c > 0 : c >= 0;
}
bool belowMax(std::string_view m, const LexRange& r) {
  int c = lexCompare(m, r.max);
  return r.max.ex ? c < 0 : c <= 0;
}
bool lexRangeEmpty(const LexRange& r) {
  int c = r.min.kind != r.max.kind ? (r.min.kind < r.max.kind ? -1 : 1) : r.min.member.compare(r.max.member);
  return c > 0 || (c == 0 && (r.min.ex || r.max.ex));
}

// When every score is equal (what lex ranges are meant for), members are in byte order and
// the bounds are found by bisection.
size_t lexBoundRank(const ZSetVal& z, double score, const LexBound& b, bool after) {
  if (b.kind != LexBound::Member) return b.kind == LexBound::Lowest ? 0 : z.order().size();
  return z.order().bound(score, b.member, after);
}

// Mixed scores leave the result up to the walk; this one is Redis's for small zsets: nothing
// unless the last member is above min and the first below max; then from the first member
// above min (or, in reverse, the last one below max) while in range.
Span lexSpanByScan(const ZSetVal& z, const LexRange& r, bool reverse) {
  const ZOrder& o = z.order();
  size_t n = o.size();
  auto above = [&](const ZOrder::Cursor& c) { return aboveMin(z.nameOf(*c), r); };
  auto below = [&](const ZOrder::Cursor& c) { return belowMax(z.nameOf(*c), r); };
  if (!aboveMin(z.nameOf(o.back()), r) || !belowMax(z.nameOf(o.front()), r)) return {};
  if (!reverse) {
    ZOrder::Cursor c = o.at(0);
    size_t lo = 0;
    while (lo < n && !above(c)) lo++, ++c;
    size_t hi = lo;
    while (hi < n && below(c)) hi++, ++c;
    return {lo, hi};
  }
  ZOrder::Cursor c = o.at(n - 1);  // at rank hi - 1 while hi > 0
  size_t hi = n;
  while (hi > 0 && !below(c))
    if (--hi > 0) --c;
  size_t lo = hi;
  while (lo > 0 && above(c))
    if (--lo > 0) --c;
  return {lo, hi};
}

Span lexSpan(const ZSetVal& z, const LexRange& r, bool reverse) {
  const ZOrder& o = z.order();
  if (o.empty() || lexRangeEmpty(r)) return {};
  double score = o.front().score;
  if (o.back().score != score) return lexSpanByScan(z, r, reverse);
  return {lexBoundRank(z, score, r.min, r.min.ex), lexBoundRank(z, score, r.max, !r.max.ex)};
}

// ---- ZADD / ZINCRBY ----

struct ZAddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
  // Whether an update of an existing member from `cur` to `next` may happen.
  bool allows(double cur, double next) const { return !nx && !(lt && next >= cur) && !(gt && next <= cur); }
};

// Parses ZADD's options and scores as Redis does (options, then pairs, then conflicts).
bool zaddArgs(Cmd& c, ZAddFlags& f, size_t& first, std::vector<double>& scores) {
  size_t i = 2;
  for (; i < c.argv.size(); i++) {
    std::string_view o = c.argv[i];
    if (equalsIgnoreCase(o, "nx")) f.nx = true;
    else if (equalsIgnoreCase(o, "xx")) f.xx = true;
    else if (equalsIgnoreCase(o, "gt")) f.gt = true;
    else if (equalsIgnoreCase(o, "lt")) f.lt = true;
    else if (equalsIgnoreCase(o, "ch")) f.ch = true;
    else if (equalsIgnoreCase(o, "incr")) f.incr = true;
    else break;
  }
  size_t n = c.argv.size() - i;
  if (n == 0 || n % 2) return fail(c, kSyntax);
  if (f.nx && f.xx) return fail(c, "ERR XX and NX options at the same time are not compatible");
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt))
    return fail(c, "ERR GT, LT, and/or NX options at the same time are not compatible");
  if (f.incr && n > 2) return fail(c, "ERR INCR option supports a single increment-element pair");
  first = i;
  for (size_t j = i; j < c.argv.size(); j += 2) {
    scores.emplace_back();
    if (!floatArg(c, c.argv[j], scores.back())) return false;
  }
  return true;
}

// ZADD ... INCR and ZINCRBY: replies the new score, or nil when a condition stops it. An
// increment by 0 is still written (as an add of the member, it wins over a concurrent ZREM).
void zaddIncr(Cmd& c, const KeyState* k, const ZAddFlags& f, double by, std::string_view member) {
  std::optional<double> cur = liveScore(zsetOf(k), member);
  if ((cur && f.nx) || (!cur && f.xx)) return c.r.null();
  double next = cur ? *cur + by : by;
  if (std::isnan(next)) return c.r.error("ERR resulting score is not a number (NaN)");
  if (cur && !f.allows(*cur, next)) return c.r.null();
  ZWrite w(c.ks, c.argv[1], k != nullptr);
  w.incrementTo(member, next);
  w.commit();
  replyScore(c, next);
}

// Plain ZADD. Pairs apply in order (a member may repeat); each member is written once. A
// ZADD of the score a member already has changes nothing here but is still written: it is a
// last-writer-wins write, which must beat an older concurrent ZADD.
void zaddPairs(Cmd& c, const KeyState* k, const ZAddFlags& f, size_t first, const std::vector<double>& scores) {
  std::vector<std::pair<std::string_view, double>> writes;
  std::unordered_map<std::string_view, size_t> written;  // member -> index in writes
  int64_t added = 0, updated = 0;
  for (size_t j = 0; j < scores.size(); j++) {
    std::string_view member = c.argv[first + 2 * j + 1];
    double next = scores[j];
    std::optional<double> cur;
    auto w = written.find(member);
    if (w != written.end()) cur = writes[w->second].second;
    else cur = liveScore(zsetOf(k), member);
    if (cur ? !f.allows(*cur, next) : f.xx) continue;
    if (!cur) added++;
    else if (next != *cur) updated++;
    if (w != written.end()) writes[w->second].second = next;
    else written.emplace(member, writes.size()), writes.emplace_back(member, next);
  }
  if (!writes.empty()) {
    ZWrite w(c.ks, c.argv[1], k != nullptr);
    for (const auto& [member, score] : writes) w.setScore(member, score);
    w.commit();
  }
  c.r.integer(f.ch ? added + updated : added);
}

void zaddGeneric(Cmd& c, ZAddFlags f) {
  size_t first = 0;
  std::vector<double> scores;
  if (!zaddArgs(c, f, first, scores)) return;
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  if (!k && f.xx) return f.incr ? c.r.null() : c.r.integer(0);
  if (f.incr) return zaddIncr(c, k, f, scores[0], c.argv[first + 1]);
  zaddPairs(c, k, f, first, scores);
}

void zaddCmd(Cmd& c) { zaddGeneric(c, ZAddFlags{}); }
// ZINCRBY is ZADD INCR in Redis, down to its argument parsing ("ZINCRBY k nx m" is a syntax error).
void zincrbyCmd(Cmd& c) {
  ZAddFlags f;
  f.incr = true;
  zaddGeneric(c, f);
}

// ---- removal ----

// Removes the members (that are visible); returns how many. Commits nothing when none is.
int64_t removeMembers(Cmd& c, const KeyState* k, const std::vector<std::string_view>& names) {
  const ZSetVal* z = zsetOf(k);
  if (!z) return 0;
  ZWrite w(c.ks, c.argv[1], true);
  std::unordered_set<std::string_view> done;
  int64_t n = 0;
  for (std::string_view m : names)
    if (z->live(m) && done.insert(m).second) w.remove(m), n++;
  w.commit();
  return n;
}

void zremCmd(Cmd& c) {
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  c.r.integer(removeMembers(c, k, std::vector<std::string_view>(c.argv.begin() + 2, c.argv.end())));
}

// Removes what a span holds; replies the count.
void removeSpan(Cmd& c, const KeyState* k, const Span& s) {
  std::vector<std::string_view> names;
  walk(*k->zset, s, false, 0, -1, [&](const ZOrder::Item& it) { names.push_back(k->zset->nameOf(it)); });
  c.r.integer(removeMembers(c, k, names));
}

void zremrangebyrankCmd(Cmd& c) {
  int64_t start, end;
  if (!intArg(c, c.argv[2], start) || !intArg(c, c.argv[3], end)) return;
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  if (!k) return c.r.integer(0);
  removeSpan(c, k, rankSpan(*k->zset, start, end, false));
}

void zremrangebyscoreCmd(Cmd& c) {
  ScoreRange r;
  if (!scoreRangeArg(c, c.argv[2], c.argv[3], r)) return;
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  if (!k) return c.r.integer(0);
  removeSpan(c, k, scoreSpan(*k->zset, r));
}

void zremrangebylexCmd(Cmd& c) {
  LexRange r;
  if (!lexRangeArg(c, c.argv[2], c.argv[3], r)) return;
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  if (!k) return c.r.integer(0);
  removeSpan(c, k, lexSpan(*k->zset, r, false));
}

// ZPOPMIN / ZPOPMAX: removes (observed-remove) and replies member/score pairs.
void zpopGeneric(Cmd& c, bool max) {
  if (c.argv.size() > 3) return c.r.error(kSyntax);
  int64_t count = 1;
  if (c.argv.size() == 3 && !countArg(c, c.argv[2], count)) return;
  KeyState* k;
  if (!writeZSet(c, c.argv[1], k)) return;
  if (!k || count == 0) return c.r.array(0);
  const ZSetVal& z = *k->zset;
  auto popped = collect(z, {0, z.order().size()}, max, 0, count);
  std::vector<std::string_view> names;
  for (const auto& p : popped) names.push_back(p.first);
  removeMembers(c, k, names);
  if (c.argv.size() == 2 && c.r.resp3()) {  // without a count, RESP3 gets one flat pair
    c.r.array(2);
    c.r.bulk(popped[0].first);
    return replyScore(c, popped[0].second);
  }
  replyMembers(c, popped, true);
}
void zpopminCmd(Cmd& c) { zpopGeneric(c, false); }
void zpopmaxCmd(Cmd& c) { zpopGeneric(c, true); }

// ---- reads ----

void zscoreCmd(Cmd& c) {
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  std::optional<double> score = liveScore(zsetOf(k), c.argv[2]);
  score ? replyScore(c, *score) : c.r.null();
}

void zmscoreCmd(Cmd& c) {
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  c.r.array(c.argv.size() - 2);
  for (size_t i = 2; i < c.argv.size(); i++) {
    std::optional<double> score = liveScore(zsetOf(k), c.argv[i]);
    score ? replyScore(c, *score) : c.r.null();
  }
}

void zcardCmd(Cmd& c) {
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  c.r.integer(k ? static_cast<int64_t>(k->zset->order().size()) : 0);
}

void zcountCmd(Cmd& c) {
  ScoreRange r;
  if (!scoreRangeArg(c, c.argv[2], c.argv[3], r)) return;
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  if (!k) return c.r.integer(0);
  Span s = scoreSpan(*k->zset, r);
  c.r.integer(static_cast<int64_t>(s.hi - s.lo));
}

void zlexcountCmd(Cmd& c) {
  LexRange r;
  if (!lexRangeArg(c, c.argv[2], c.argv[3], r)) return;
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  if (!k) return c.r.integer(0);
  Span s = lexSpan(*k->zset, r, false);
  c.r.integer(static_cast<int64_t>(s.hi - s.lo));
}

void rankGeneric(Cmd& c, bool reverse) {
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  const ZSetVal* z = zsetOf(k);
  const CellMap::Field* m = z ? z->live(c.argv[2]) : nullptr;
  if (!m) return c.r.null();
  auto rank = static_cast<int64_t>(z->order().rankOf(zsetScore(m->cell), static_cast<uint32_t>(m - z->members().begin())));
  c.r.integer(reverse ? static_cast<int64_t>(z->order().size()) - 1 - rank : rank);
}
void zrankCmd(Cmd& c) { rankGeneric(c, false); }
void zrevrankCmd(Cmd& c) { rankGeneric(c, true); }

// ZRANGESTORE: the destination is replaced by the result (deleted when it is empty).
void storeRange(Cmd& c, const std::vector<std::pair<std::string, double>>& items) {
  std::string_view dst = c.argv[1];
  if (c.ks.lookupWrite(dst)) c.ks.deleteKey(dst);
  if (!items.empty()) {
    ZWrite w(c.ks, dst, false);
    for (const auto& [member, score] : items) w.setScore(member, score);
    w.commit();
  }
  c.r.integer(static_cast<int64_t>(items.size()));
}

// The ZRANGE family, parsed as Redis 7.0's zrangeGenericCommand does: the legacy commands
// are ZRANGE with the range type and direction fixed (so "REV" or "BYLEX" is then a syntax
// error), options are checked before the range, the range before the key. `src` is the
// argument index of the source key: 2 for ZRANGESTORE, whose argv[1] is the destination.
enum class By { Auto, Rank, Score, Lex };
enum class Dir { Auto, Forward, Reverse };

void zrangeGeneric(Cmd& c, By by, Dir dir, size_t src = 1) {
  bool store = src == 2, withScores = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = src + 3; j < c.argv.size(); j++) {
    std::string_view o = c.argv[j];
    if (!store && equalsIgnoreCase(o, "withscores")) withScores = true;
    else if (equalsIgnoreCase(o, "limit") && j + 2 < c.argv.size()) {
      if (!intArg(c, c.argv[j + 1], offset) || !intArg(c, c.argv[j + 2], limit)) return;
      j += 2;
    } else if (dir == Dir::Auto && equalsIgnoreCase(o, "rev")) dir = Dir::Reverse;
    else if (by == By::Auto && equalsIgnoreCase(o, "bylex")) by = By::Lex;
    else if (by == By::Auto && equalsIgnoreCase(o, "byscore")) by = By::Score;
    else return c.r.error(kSyntax);
  }
  if (by == By::Auto) by = By::Rank;
  bool reverse = dir == Dir::Reverse;
  // Redis tells "no LIMIT" by limit == -1, so a rank range takes "LIMIT n -1" (and ignores it).
  if (limit != -1 && by == By::Rank)
    return c.r.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  if (by == By::Rank) offset = 0;
  if (withScores && by == By::Lex)
    return c.r.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  // Reverse score and lex ranges are given as max then min.
  std::string_view lo = c.argv[src + 1], hi = c.argv[src + 2];
  if (reverse && by != By::Rank) std::swap(lo, hi);
  int64_t start = 0, end = 0;
  ScoreRange sr;
  LexRange lr;
  if (by == By::Rank && (!intArg(c, lo, start) || !intArg(c, hi, end))) return;
  if (by == By::Score && !scoreRangeArg(c, lo, hi, sr)) return;
  if (by == By::Lex && !lexRangeArg(c, lo, hi, lr)) return;
  KeyState* k;
  if (!readZSet(c, c.argv[src], k)) return;
  std::vector<std::pair<std::string, double>> items;
  if (k) {
    const ZSetVal& z = *k->zset;
    Span s = by == By::Rank ? rankSpan(z, start, end, reverse)
                            : by == By::Score ? scoreSpan(z, sr) : lexSpan(z, lr, reverse);
    items = collect(z, s, reverse, offset, limit);
  }
  store ? storeRange(c, items) : replyMembers(c, items, withScores);
}

void zrangeCmd(Cmd& c) { zrangeGeneric(c, By::Auto, Dir::Auto); }
void zrevrangeCmd(Cmd& c) { zrangeGeneric(c, By::Rank, Dir::Reverse); }
void zrangebyscoreCmd(Cmd& c) { zrangeGeneric(c, By::Score, Dir::Forward); }
void zrevrangebyscoreCmd(Cmd& c) { zrangeGeneric(c, By::Score, Dir::Reverse); }
void zrangebylexCmd(Cmd& c) { zrangeGeneric(c, By::Lex, Dir::Forward); }
void zrevrangebylexCmd(Cmd& c) { zrangeGeneric(c, By::Lex, Dir::Reverse); }
void zrangestoreCmd(Cmd& c) { zrangeGeneric(c, By::Auto, Dir::Auto, 2); }

void zscanCmd(Cmd& c) {
  std::string_view pattern;
  KeyState* k;
  if (!scanCursorArg(c) || !readZSet(c, c.argv[1], k)) return;
  if (!k) return scanReply(c, {}, false);
  if (!scanOptions(c, pattern)) return;
  std::vector<std::pair<std::string_view, std::string>> items;
  k->zset->forEach([&](std::string_view member, double score) {
    if (pattern.empty() || globMatch(pattern, member)) items.emplace_back(member, formatDouble(score));
  });
  scanReply(c, items, true);
}

// ZRANDMEMBER: one member, `count` distinct ones, or (negative count) -count picks with repeats.
void zrandmemberCmd(Cmd& c) {
  int64_t count = 0;
  bool withCount = c.argv.size() >= 3, withScores = false;
  if (withCount && !randomCountArgs(c, count, withScores, "withscores")) return;
  KeyState* k;
  if (!readZSet(c, c.argv[1], k)) return;
  std::vector<std::pair<std::string_view, double>> all;
  if (k) k->zset->forEach([&](std::string_view member, double score) { all.emplace_back(member, score); });
  auto chosen = randomPicks(c.ks, std::move(all), withCount ? count : -1);
  if (!withCount) return chosen.empty() ? c.r.null() : c.r.bulk(chosen[0].first);
  std::vector<std::pair<std::string, double>> picks;
  for (const auto& [member, score] : chosen) picks.emplace_back(member, score);
  replyMembers(c, picks, withScores);
}

const CommandSpec kCommands[] = {
    {"zadd", -4, zaddCmd, 3},
    {"zincrby", 4, zincrbyCmd, 3},
    {"zrem", -3, zremCmd, 2},
    {"zscore", 3, zscoreCmd, 2},
    {"zmscore", -3, zmscoreCmd, 2},
    {"zcard", 2, zcardCmd},
    {"zcount", 4, zcountCmd},
    {"zlexcount", 4, zlexcountCmd},
    {"zrank", 3, zrankCmd, 2},
    {"zrevrank", 3, zrevrankCmd, 2},
    {"zrange", -4, zrangeCmd},
    {"zrevrange", -4, zrevrangeCmd},
    {"zrangebyscore", -4, zrangebyscoreCmd},
    {"zrevrangebyscore", -4, zrevrangebyscoreCmd},
    {"zrangebylex", -4, zrangebylexCmd},
    {"zrevrangebylex", -4, zrevrangebylexCmd},
    {"zrangestore", -5, zrangestoreCmd},
    {"zpopmin", -2, zpopminCmd},
    {"zpopmax", -2, zpopmaxCmd},
    {"zremrangebyrank", 4, zremrangebyrankCmd},
    {"zremrangebyscore", 4, zremrangebyscoreCmd},
    {"zremrangebylex", 4, zremrangebylexCmd},
    {"zscan", -3, zscanCmd},
    {"zrandmember", -2, zrandmemberCmd},
};

}  // namespace

void registerZSetCommands() { addCommands(kCommands); }

}  // namespace raa
