// List commands. A list is the elements of ListVal in (position, dot) order. A command never
// touches that state: it describes new elements (a fresh position and dot each) and removed
// ones (their dots) in a key delta, which commit() joins here exactly as a peer will.
#include <algorithm>
#include <cstdint>

#include "table.h"

namespace raa {

namespace {

using Digits = std::vector<int64_t>;
// Digits read as a bound for new positions: an element's position, or one just made. No
// digits (a position has at least one): that side is unbounded.
struct Bound {
  const PosDigits* p = nullptr;
  const Digits* v = nullptr;
  size_t n = 0;
  Bound() = default;
  explicit Bound(const PosDigits& digits) : p(&digits), n(digits.size()) {}
  explicit Bound(const Digits& digits) : v(&digits), n(digits.size()) {}
  int64_t operator[](size_t i) const { return p ? (*p)[i] : (*v)[i]; }
  explicit operator bool() const { return n != 0; }
};
using Elems = ListSeq;
using ElemIt = ListSeq::Iter;

// ---- positions ----
// A position's digits are compared like strings, a prefix before its extensions, so there is
// always room between two different positions by going one digit deeper. INT64_MIN and
// INT64_MAX are never picked as new digits: with both ends free there is room before and
// after any position we make (nothing fits between P and P+{INT64_MIN}).

// A digit strictly inside (low, high), both exclusive, with high - low > 1. Pushes step one
// away from their neighbour (digits stay short when a list grows at its ends); an insertion
// between two bounds takes the middle so that later insertions there still fit.
int64_t pickDigit(int64_t low, int64_t high, bool hasLow, bool hasHigh) {
  if (hasLow && hasHigh) return low + static_cast<int64_t>((static_cast<uint64_t>(high) - static_cast<uint64_t>(low)) / 2);
  if (hasLow) return low + 1;
  if (hasHigh) return high - 1;
  return 0;
}

// Digits strictly between lo and hi. False when there are none: lo and hi have equal
// digits (two instances pushed at the same place) or hi = lo + {INT64_MIN}.
bool between(Bound lo, Bound hi, Digits& out) {
  out.clear();
  for (size_t i = 0;; i++) {
    if (lo && i == lo.n) lo = Bound();  // out extends lo: above it whatever comes next
    if (hi && i == hi.n) return false;  // out would be hi itself
    int64_t low = lo ? lo[i] : INT64_MIN, high = hi ? hi[i] : INT64_MAX;
    if (static_cast<uint64_t>(high) - static_cast<uint64_t>(low) > 1) {
      out.push_back(pickDigit(low, high, static_cast<bool>(lo), static_cast<bool>(hi)));
      return true;
    }
    // No free digit at this depth: follow a bound one digit deeper (lo's when there is one).
    int64_t keep = lo ? low : high;
    out.push_back(keep);
    if (keep != high) hi = Bound();  // below hi from here on
  }
}

// Positions for `n` new neighbours between lo and hi, in list order. At the head (fromHigh)
// they are made right to left, each just before the next, so LPUSH a b c in front of {0}
// gives {-3} {-2} {-1} and not {-1} {-1,0} {-1,1}.
bool allocate(Bound lo, Bound hi, size_t n, bool fromHigh, std::vector<Digits>& out) {
  out.assign(n, Digits{});
  for (size_t k = 0; k < n; k++) {
    size_t i = fromHigh ? n - 1 - k : k;
    Bound below = !fromHigh && i > 0 ? Bound(out[i - 1]) : lo;
    Bound above = fromHigh && i + 1 < n ? Bound(out[i + 1]) : hi;
    if (!between(below, above, out[i])) return false;
  }
  return true;
}

// ---- reading ----

const Elems& elemsOf(const KeyState* k) {
  static const Elems none;
  return k && k->list ? k->list->elems : none;
}

// The element at a Redis index (negative counts from the tail), or end().
ElemIt elemAt(const Elems& e, int64_t index) {
  int64_t n = static_cast<int64_t>(e.size());
  if (index < 0) index += n;
  if (index < 0 || index >= n) return e.end();
  return e.at(static_cast<size_t>(index));
}

// Calls f(i, element) for the elements from the head (or the tail), i counting from 0 at
// the start of the walk, until f returns false.
template <class F>
void walk(const Elems& e, bool fromTail, const F& f) {
  int64_t i = 0;
  if (fromTail) {
    for (auto it = e.end(); it != e.begin() && f(i++, std::prev(it)); --it) {
    }
  } else {
    for (auto it = e.begin(); it != e.end() && f(i++, it); ++it) {
    }
  }
}

// LRANGE / LTRIM's clamping of [start, stop] to the list; false when the range is empty.
bool clampRange(int64_t n, int64_t& start, int64_t& stop) {
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return false;
  if (stop >= n) stop = n - 1;
  return true;
}

enum class End { Head, Tail };

// Redis's LEFT / RIGHT argument.
bool endArg(Cmd& c, std::string_view s, End& out) {
  if (equalsIgnoreCase(s, "left")) out = End::Head;
  else if (equalsIgnoreCase(s, "right")) out = End::Tail;
  else return c.r.error(kSyntax), false;
  return true;
}

// An integer option of at least `min`, answering `msg` when it is not one.
bool boundedArg(Cmd& c, std::string_view s, int64_t min, const char* msg, int64_t& out) {
  if (parseInt64(s, out) && out >= min) return true;
  c.r.error(msg);
  return false;
}

// ---- writing ----

// Adds to `d` the values inserted, in order, just before `at` (end(): at the tail). Where the
// order has no room (the neighbours have equal digits after concurrent pushes), the next
// element joins the run: it is removed and re-created after the new ones, with a new dot.
void insertBefore(Keyspace& ks, KeyDelta& d, const Elems& e, ElemIt at, std::vector<std::string_view> run,
                  bool fromHigh) {
  ElemIt before = at;  // lo points into its decoded element
  Bound lo = at == e.begin() ? Bound() : Bound((--before)->pos.digits);
  std::vector<Digits> slots;
  for (ElemIt hi = at;; ++hi) {
    if (allocate(lo, hi == e.end() ? Bound() : Bound(hi->pos.digits), run.size(), fromHigh, slots)) break;
    d.listPart().covered.push_back(hi->pos);
    run.push_back(hi->elem.val);
  }
  for (size_t i = 0; i < run.size(); i++) d.listPart().add.push_back(listRec(ks, PosDigits(slots[i]), run[i]));
}

// The first digit of n pushes at one end, when the end element's first digit leaves room
// for n steps (nearly always): the digits insertBefore() would pick, one step apart from
// the end outwards (an empty list starts at 0), without searching for room.
bool pushDigits(const Elems& e, bool atHead, size_t n, int64_t& first) {
  if (e.empty()) {
    first = atHead ? 1 - static_cast<int64_t>(n) : 0;
    return true;
  }
  int64_t edge = (atHead ? e.begin() : std::prev(e.end()))->pos.digits[0];
  uint64_t room = atHead ? static_cast<uint64_t>(edge) - static_cast<uint64_t>(INT64_MIN)
                         : static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(edge);
  if (room <= n) return false;
  first = atHead ? edge - static_cast<int64_t>(n) : edge + 1;
  return true;
}

// Adds to `d` the removal of the elements `gone`. A list that loses its last element is
// deleted as Redis does, TTL included (an observed-remove like DEL: concurrent pushes stay).
void removeElems(const KeyState& k, KeyDelta& d, const std::vector<ElemIt>& gone) {
  if (gone.size() == elemsOf(&k).size()) return coverKey(k, d, false);
  for (ElemIt it : gone) d.listPart().covered.push_back(it->pos);
}

// Pushes the values one by one at one end (LPUSH a b c leaves c first); returns the length.
int64_t pushValues(Keyspace& ks, std::string_view key, End end, std::vector<std::string_view> values) {
  KeyDelta d = deltaFor(key);
  const KeyState* k = ks.lookupWrite(key);
  if (!k) coverOtherTypes(ks.find(key), d, Type::List);
  const Elems& e = elemsOf(k);
  int64_t len = static_cast<int64_t>(e.size() + values.size()), digit;
  if (pushDigits(e, end == End::Head, values.size(), digit)) {
    // In list order: LPUSH a b c puts c first.
    if (end == End::Head) std::reverse(values.begin(), values.end());
    ListDelta& l = d.listPart();
    l.add.reserve(values.size());
    for (std::string_view v : values) l.add.push_back(listRec(ks, PosDigits(&digit, 1), v)), digit++;
  } else if (end == End::Head) {
    std::reverse(values.begin(), values.end());
    insertBefore(ks, d, e, e.begin(), std::move(values), true);
  } else {
    insertBefore(ks, d, e, e.end(), std::move(values), false);
  }
  ks.commit(d);
  return len;
}

// Up to n elements from one end, in pop order.
std::vector<ElemIt> endElems(const Elems& e, End end, size_t n) {
  std::vector<ElemIt> out;
  n = std::min(n, e.size());
  out.reserve(n);
  if (end == End::Head)
    for (auto it = e.begin(); out.size() < n; ++it) out.push_back(it);
  else
    for (auto it = e.end(); out.size() < n;) out.push_back(--it);
  return out;
}

// Pops up to n elements of a non-empty list key; returns their values in pop order.
std::vector<std::string> popValues(Keyspace& ks, std::string_view key, const KeyState& k, End end, size_t n) {
  std::vector<ElemIt> gone = endElems(elemsOf(&k), end, n);
  std::vector<std::string> values;
  values.reserve(gone.size());
  for (ElemIt it : gone) values.emplace_back(it->elem.val);
  KeyDelta d = deltaFor(key);
  removeElems(k, d, gone);
  ks.commit(d);
  return values;
}

void replyValues(Cmd& c, const std::vector<std::string>& values) {
  c.r.array(values.size());
  for (const std::string& v : values) c.r.bulk(v);
}

std::vector<std::string_view> argsFrom(Cmd& c, size_t from) {
  return std::vector<std::string_view>(c.argv.begin() + from, c.argv.end());
}

// ---- commands ----

void pushCmd(Cmd& c, End end, bool onlyIfExists) {
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::List)) return;
  if (onlyIfExists && !k) return c.r.integer(0);
  c.r.integer(pushValues(c.ks, c.argv[1], end, argsFrom(c, 2)));
}
void lpushCmd(Cmd& c) { pushCmd(c, End::Head, false); }
void rpushCmd(Cmd& c) { pushCmd(c, End::Tail, false); }
void lpushxCmd(Cmd& c) { pushCmd(c, End::Head, true); }
void rpushxCmd(Cmd& c) { pushCmd(c, End::Tail, true); }

// LPOP/RPOP key [count]: without count a bulk (nil when absent), with one an array (nil
// array when absent, empty for count 0).
void popCmd(Cmd& c, End end) {
  if (c.argv.size() > 3)
    return c.r.error(std::string("ERR wrong number of arguments for '") + (end == End::Head ? "lpop" : "rpop") +
                     "' command");
  bool withCount = c.argv.size() == 3;
  int64_t count = 1;
  if (withCount && !countArg(c, c.argv[2], count)) return;
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!k) return withCount ? c.r.nullArray() : c.r.null();
  if (!typeIs(c, k, Type::List)) return;
  if (withCount && count == 0) return c.r.array(0);
  std::vector<std::string> values = popValues(c.ks, c.argv[1], *k, end, static_cast<size_t>(count));
  withCount ? replyValues(c, values) : c.r.bulk(values[0]);
}
void lpopCmd(Cmd& c) { popCmd(c, End::Head); }
void rpopCmd(Cmd& c) { popCmd(c, End::Tail); }

bool readList(Cmd& c, const KeyState*& k) {
  k = c.ks.lookupRead(c.argv[1]);
  return typeIs(c, k, Type::List);
}

void llenCmd(Cmd& c) {
  const KeyState* k;
  if (readList(c, k)) c.r.integer(static_cast<int64_t>(elemsOf(k).size()));
}

void lrangeCmd(Cmd& c) {
  int64_t start, stop;
  const KeyState* k;
  if (!intArg(c, c.argv[2], start) || !intArg(c, c.argv[3], stop) || !readList(c, k)) return;
  const Elems& e = elemsOf(k);
  if (!clampRange(static_cast<int64_t>(e.size()), start, stop)) return c.r.array(0);
  c.r.array(static_cast<size_t>(stop - start + 1));
  ElemIt it = elemAt(e, start);
  for (int64_t i = start; i <= stop; i++, ++it) c.r.bulk(it->elem.val);
}

void lindexCmd(Cmd& c) {
  const KeyState* k;
  int64_t index;
  if (!readList(c, k)) return;
  if (!k) return c.r.null();
  if (!intArg(c, c.argv[2], index)) return;
  const Elems& e = elemsOf(k);
  ElemIt it = elemAt(e, index);
  it == e.end() ? c.r.null() : c.r.bulk(it->elem.val);
}

// LSET rewrites the value of the element in place: same position and dot, a new stamp, so
// that concurrent LSETs resolve last-writer-wins and a concurrent removal still wins.
void lsetCmd(Cmd& c) {
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  int64_t index;
  if (!k) return c.r.error("ERR no such key");
  if (!typeIs(c, k, Type::List) || !intArg(c, c.argv[2], index)) return;
  const Elems& e = elemsOf(k);
  ElemIt it = elemAt(e, index);
  if (it == e.end()) return c.r.error("ERR index out of range");
  KeyDelta d = deltaFor(c.argv[1]);
  ListRec rec{it->pos, ListElem{c.ks.tick(), c.ks.instanceId(), SmallString(c.argv[3])}};
  d.listPart().add.push_back(std::move(rec));
  c.ks.commit(d);
  c.r.ok();
}

void linsertCmd(Cmd& c) {
  bool after = equalsIgnoreCase(c.argv[2], "after");
  if (!after && !equalsIgnoreCase(c.argv[2], "before")) return c.r.error(kSyntax);
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!k) return c.r.integer(0);
  if (!typeIs(c, k, Type::List)) return;
  const Elems& e = elemsOf(k);
  auto pivot = std::find_if(e.begin(), e.end(), [&](const ListItem& it) { return it.elem.val == c.argv[3]; });
  if (pivot == e.end()) return c.r.integer(-1);
  int64_t len = static_cast<int64_t>(e.size()) + 1;
  KeyDelta d = deltaFor(c.argv[1]);
  insertBefore(c.ks, d, e, after ? std::next(pivot) : pivot, {c.argv[4]}, false);
  c.ks.commit(d);
  c.r.integer(len);
}

// LREM walks the list once, from the head (count >= 0) or the tail (count < 0).
void lremCmd(Cmd& c) {
  int64_t count;
  if (!intArg(c, c.argv[2], count)) return;
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!k) return c.r.integer(0);
  if (!typeIs(c, k, Type::List)) return;
  // |count| without overflow for INT64_MIN; 0 means all.
  uint64_t limit = count == 0 ? UINT64_MAX : count > 0 ? static_cast<uint64_t>(count) : 0 - static_cast<uint64_t>(count);
  std::vector<ElemIt> gone;
  walk(elemsOf(k), count < 0, [&](int64_t, ElemIt it) {
    if (it->elem.val == c.argv[3]) gone.push_back(it);
    return gone.size() < limit;
  });
  if (!gone.empty()) {
    KeyDelta d = deltaFor(c.argv[1]);
    removeElems(*k, d, gone);
    c.ks.commit(d);
  }
  c.r.integer(static_cast<int64_t>(gone.size()));
}

void ltrimCmd(Cmd& c) {
  int64_t start, stop;
  if (!intArg(c, c.argv[2], start) || !intArg(c, c.argv[3], stop)) return;
  const KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!k) return c.r.ok();
  if (!typeIs(c, k, Type::List)) return;
  const Elems& e = elemsOf(k);
  int64_t n = static_cast<int64_t>(e.size());
  size_t head = static_cast<size_t>(n), tail = 0;  // how many to drop at each end
  if (clampRange(n, start, stop)) head = static_cast<size_t>(start), tail = static_cast<size_t>(n - 1 - stop);
  std::vector<ElemIt> gone = endElems(e, End::Head, head);
  std::vector<ElemIt> back = endElems(e, End::Tail, tail);
  gone.insert(gone.end(), back.begin(), back.end());
  if (!gone.empty()) {
    KeyDelta d = deltaFor(c.argv[1]);
    removeElems(*k, d, gone);
    c.ks.commit(d);
  }
  c.r.ok();
}

// LMOVE within one list is a single delta that removes the element and re-creates it at
// the other end: the key never goes empty, so it keeps its TTL as in Redis.
void rotate(Keyspace& ks, std::string_view key, const Elems& e, End from, End to) {
  ElemIt moved = from == End::Head ? e.begin() : std::prev(e.end());
  KeyDelta d = deltaFor(key);
  d.listPart().covered.push_back(moved->pos);
  if (to == End::Head) insertBefore(ks, d, e, e.begin(), {moved->elem.val}, true);
  else insertBefore(ks, d, e, e.end(), {moved->elem.val}, false);
  ks.commit(d);
}

void moveGeneric(Cmd& c, End from, End to) {
  std::string_view src = c.argv[1], dst = c.argv[2];
  const KeyState* s = c.ks.lookupWrite(src);
  if (!s) return c.r.null();
  if (!typeIs(c, s, Type::List) || (src != dst && !typeIs(c, c.ks.lookupWrite(dst), Type::List))) return;
  if (src == dst) {
    const Elems& e = elemsOf(s);
    ElemIt moved = from == End::Head ? e.begin() : std::prev(e.end());
    std::string value(moved->elem.val);
    rotate(c.ks, src, e, from, to);
    return c.r.bulk(value);
  }
  std::vector<std::string> value = popValues(c.ks, src, *s, from, 1);
  pushValues(c.ks, dst, to, {value[0]});
  c.r.bulk(value[0]);
}

void lmoveCmd(Cmd& c) {
  End from, to;
  if (endArg(c, c.argv[3], from) && endArg(c, c.argv[4], to)) moveGeneric(c, from, to);
}
void rpoplpushCmd(Cmd& c) { moveGeneric(c, End::Tail, End::Head); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list.
void lmpopCmd(Cmd& c) {
  int64_t numkeys, count = -1;
  End end;
  if (!boundedArg(c, c.argv[1], 1, "ERR numkeys should be greater than 0", numkeys)) return;
  if (numkeys > static_cast<int64_t>(c.argv.size()) - 3) return c.r.error(kSyntax);
  size_t endIdx = 2 + static_cast<size_t>(numkeys);
  if (!endArg(c, c.argv[endIdx], end)) return;
  for (size_t j = endIdx + 1; j < c.argv.size(); j++) {
    if (count != -1 || !equalsIgnoreCase(c.argv[j], "count") || j + 1 == c.argv.size()) return c.r.error(kSyntax);
    if (!boundedArg(c, c.argv[++j], 1, "ERR count should be greater than 0", count)) return;
  }
  if (count == -1) count = 1;
  for (size_t j = 2; j < endIdx; j++) {
    const KeyState* k = c.ks.lookupWrite(c.argv[j]);
    if (!k) continue;
    if (!typeIs(c, k, Type::List)) return;
    std::vector<std::string> values = popValues(c.ks, c.argv[j], *k, end, static_cast<size_t>(count));
    c.r.array(2);
    c.r.bulk(c.argv[j]);
    return replyValues(c, values);
  }
  c.r.nullArray();
}

struct LposOpts {
  int64_t rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT option (reply a single index)
};

bool lposArgs(Cmd& c, LposOpts& o) {
  for (size_t j = 3; j < c.argv.size(); j++) {
    std::string_view opt = c.argv[j];
    bool more = j + 1 < c.argv.size();
    if (!more) return c.r.error(kSyntax), false;
    std::string_view v = c.argv[++j];
    if (equalsIgnoreCase(opt, "rank")) {
      if (!intArg(c, v, o.rank)) return false;
      if (o.rank == 0)
        return c.r.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
                         "negative to start from the end of the list"),
               false;
    } else if (equalsIgnoreCase(opt, "count")) {
      if (!boundedArg(c, v, 0, "ERR COUNT can't be negative", o.count)) return false;
    } else if (equalsIgnoreCase(opt, "maxlen")) {
      if (!boundedArg(c, v, 0, "ERR MAXLEN can't be negative", o.maxlen)) return false;
    } else {
      return c.r.error(kSyntax), false;
    }
  }
  return true;
}

// LPOS scans once from the head (or from the tail for a negative rank). The arithmetic on
// rank wraps as Redis's does, so RANK INT64_MIN answers what Redis 7.0 answers.
void lposCmd(Cmd& c) {
  LposOpts o;
  if (!lposArgs(c, o)) return;
  bool fromTail = o.rank < 0;
  int64_t rank = fromTail ? static_cast<int64_t>(0 - static_cast<uint64_t>(o.rank)) : o.rank;
  const KeyState* k = c.ks.lookupRead(c.argv[1]);
  if (!k) return o.count != -1 ? c.r.array(0) : c.r.null();
  if (!typeIs(c, k, Type::List)) return;
  int64_t n = static_cast<int64_t>(elemsOf(k).size()), matches = 0;
  std::vector<int64_t> found;
  walk(elemsOf(k), fromTail, [&](int64_t i, ElemIt it) {  // false to stop
    if (o.maxlen && i >= o.maxlen) return false;
    if (it->elem.val != c.argv[2] || ++matches < rank) return true;
    found.push_back(fromTail ? n - 1 - i : i);
    int64_t taken = static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1);
    return o.count != -1 && !(o.count && taken >= o.count);
  });
  if (o.count == -1) return found.empty() ? c.r.null() : c.r.integer(found[0]);
  c.r.array(found.size());
  for (int64_t i : found) c.r.integer(i);
}

const CommandSpec kCommands[] = {
    {"lpush", -3, lpushCmd},   {"rpush", -3, rpushCmd},   {"lpushx", -3, lpushxCmd},
    {"rpushx", -3, rpushxCmd}, {"lpop", -2, lpopCmd},     {"rpop", -2, rpopCmd},
    {"llen", 2, llenCmd},      {"lrange", 4, lrangeCmd},  {"lindex", 3, lindexCmd},
    {"lset", 4, lsetCmd},      {"linsert", 5, linsertCmd}, {"lrem", 4, lremCmd},
    {"ltrim", 4, ltrimCmd},    {"lmove", 5, lmoveCmd},    {"rpoplpush", 3, rpoplpushCmd},
    {"lmpop", -4, lmpopCmd},   {"lpos", -3, lposCmd},
};

}  // namespace

void registerListCommands() { addCommands(kCommands); }

}  // namespace raa
