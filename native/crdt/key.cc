#include "key.h"

#include <cmath>
#include <cstring>

namespace raa {

const char* typeName(Type t) {
  switch (t) {
    case Type::String: return "string";
    case Type::Hash: return "hash";
    case Type::Set: return "set";
    case Type::ZSet: return "zset";
    case Type::List: return "list";
    default: return "none";
  }
}

// The newest write of a part, as (stamp, instance): compared with stampWins.
struct Newest {
  uint64_t hlc = 0;
  uint16_t origin = 0;
  void consider(uint64_t h, uint16_t o) {
    if ((hlc == 0 && origin == 0) || stampWins(h, o, hlc, origin)) hlc = h, origin = o;
  }
  void consider(const Cell& c) {
    for (const Entry& e : c.entries) consider(e.stamp(), dotOrigin(e.dot));
  }
};

bool KeyState::isEmpty() const {
  return str.isEmpty() && (!hash || hash->empty()) && (!set || set->empty()) &&
         (!zset || zset->empty()) && (!list || list->elems.empty()) && (!expiry || expiry->isEmpty());
}

Type KeyState::visibleType() const {
  Type only = Type::None;
  int kinds = 0;
  bool s = str.visible(), h = hash && hash->live, st = set && set->live,
       z = zset && !zset->order().empty(), l = list && !list->elems.empty();
  if (s) only = Type::String, kinds++;
  if (h) only = Type::Hash, kinds++;
  if (st) only = Type::Set, kinds++;
  if (z) only = Type::ZSet, kinds++;
  if (l) only = Type::List, kinds++;
  if (kinds <= 1) return only;
  // Concurrent creation as different types: the newest write decides (last writer wins).
  Newest best;
  Type winner = Type::None;
  auto consider = [&](bool live, Type t, const Newest& n) {
    if (live && (winner == Type::None || stampWins(n.hlc, n.origin, best.hlc, best.origin))) best = n, winner = t;
  };
  auto ofMap = [](const CellMap* m) {
    Newest n;
    for (const auto& [name, c] : *m) n.consider(c);
    return n;
  };
  if (s) {
    Newest n;
    n.consider(str);
    consider(true, Type::String, n);
  }
  if (h) consider(true, Type::Hash, ofMap(hash.get()));
  if (st) consider(true, Type::Set, ofMap(set.get()));
  if (z) consider(true, Type::ZSet, ofMap(&zset->members()));
  if (l) {
    Newest n;
    for (const auto& [pos, e] : list->elems) n.consider(e.hlc, e.writer);
    consider(true, Type::List, n);
  }
  return winner;
}

static int64_t entryTime(const Entry& e) {
  int64_t at = 0;
  if (e.val.size() == 8) std::memcpy(&at, e.val.data(), 8);
  return at;
}

// Among concurrent expiry writes PERSIST (stored as 0) beats any TTL and the longest TTL
// wins; ties go to the lower instance id.
static const Entry* winningExpiry(const Cell& c) {
  const Entry* best = nullptr;
  for (const Entry& e : c.entries) {
    if (!e.hasValue()) continue;
    if (!best) {
      best = &e;
      continue;
    }
    int64_t a = entryTime(e), b = entryTime(*best);
    bool better;
    if ((a == 0) != (b == 0)) better = a == 0;
    else if (a != b) better = a > b;
    else better = dotOrigin(e.dot) < dotOrigin(best->dot);
    if (better) best = &e;
  }
  return best;
}

bool KeyState::hasOtherTypes(Type t) const {
  return (t != Type::String && !str.isEmpty()) || (t != Type::Hash && hash) || (t != Type::Set && set) ||
         (t != Type::ZSet && zset) || (t != Type::List && list);
}

int64_t KeyState::expireAt() const {
  if (!expiry) return 0;
  const Entry* w = winningExpiry(*expiry);
  return w ? entryTime(*w) : 0;
}

uint16_t KeyState::expiryOwner() const {
  if (!expiry) return 0;
  const Entry* w = winningExpiry(*expiry);
  return w ? dotOrigin(w->dot) : 0;
}

static void cellsToDeltas(const CellMap& m, NamedCellDeltas& out) {
  out.reserve(m.size());
  for (const auto& [name, c] : m) {
    out.emplace_back(name.str(), CellDelta{});
    c.toDelta(out.back().second);
  }
}

void keyToDelta(const KeyState& k, KeyDelta& d) {
  if (!k.str.isEmpty()) k.str.toDelta(d.strPart());
  if (k.expiry) k.expiry->toDelta(d.expiryPart());
  if (k.hash) cellsToDeltas(*k.hash, d.hash);
  if (k.set) cellsToDeltas(*k.set, d.set);
  if (k.zset) cellsToDeltas(k.zset->members(), d.zset);
  if (k.list) {
    ListDelta& l = d.listPart();
    l.add.reserve(k.list->elems.size());
    for (const auto& [pos, e] : k.list->elems) l.add.push_back(ListRec{pos, e.owned()});
  }
}

static void coverCells(const CellMap& m, NamedCellDeltas& out) {
  for (const auto& [name, c] : m) {
    out.emplace_back(name.str(), CellDelta{});
    c.coverAll(out.back().second);
  }
}

void coverKey(const KeyState& k, KeyDelta& d, bool keepExpiry, Type keep) {
  if (!k.str.isEmpty() && keep != Type::String) k.str.coverAll(d.strPart());
  if (k.expiry && !keepExpiry) k.expiry->coverAll(d.expiryPart());
  if (k.hash && keep != Type::Hash) coverCells(*k.hash, d.hash);
  if (k.set && keep != Type::Set) coverCells(*k.set, d.set);
  if (k.zset && keep != Type::ZSet) coverCells(k.zset->members(), d.zset);
  if (k.list && keep != Type::List) {
    ListDelta& l = d.listPart();
    for (const auto& [pos, e] : k.list->elems) l.covered.push_back(pos);
  }
}

// Wire layout of a key delta: key, a bit mask of the parts present, then each part.
enum : uint8_t { kStr = 1, kExpiry = 2, kHash = 4, kSet = 8, kZSet = 16, kList = 32, kResetDot = 64 };

static void encodeNamed(ByteWriter& w, const NamedCellDeltas& cells) {
  w.varint(cells.size());
  for (const auto& [name, c] : cells) {
    w.bytes(name);
    c.encode(w);
  }
}
static void decodeNamed(ByteReader& r, NamedCellDeltas& cells) {
  uint64_t n = r.count(4);
  cells.resize(n);
  for (auto& [name, c] : cells) {
    name = std::string(r.bytes());
    c.decode(r);
  }
}

static void encodePos(ByteWriter& w, const ListPos& pos) {
  size_t n = pos.digits.size();
  w.varint(n);
  for (size_t i = 0; i < n; i++) w.svarint(pos.digits[i]);
  w.varint(pos.cdot);
}
static void decodePos(ByteReader& r, ListPos& pos) {
  uint64_t n = r.count(1);
  if (n == 0) r.fail("empty list position");
  if (n == 1) {
    int64_t digit = r.svarint();
    pos.digits = PosDigits(&digit, 1);
  } else {
    std::vector<int64_t> digits(n);
    for (int64_t& digit : digits) digit = r.svarint();
    pos.digits = PosDigits(digits);
  }
  pos.cdot = readDot(r);
}

void KeyDelta::encode(ByteWriter& w) const {
  w.bytes(key);
  uint8_t mask = (str ? kStr : 0) | (expiry ? kExpiry : 0) | (hash.empty() ? 0 : kHash) | (set.empty() ? 0 : kSet) |
                 (zset.empty() ? 0 : kZSet) | (list ? kList : 0) | (resetDot ? kResetDot : 0);
  w.u8(mask);
  if (resetDot) w.varint(resetDot);
  if (str) str->encode(w);
  if (expiry) expiry->encode(w);
  if (mask & kHash) encodeNamed(w, hash);
  if (mask & kSet) encodeNamed(w, set);
  if (mask & kZSet) encodeNamed(w, zset);
  if (list) {
    w.varint(list->add.size());
    for (const ListRec& rec : list->add) {
      encodePos(w, rec.pos);
      w.varint(rec.elem.hlc);
      w.varint(rec.elem.writer);
      w.bytes(rec.elem.val);
    }
    w.varint(list->covered.size());
    for (const ListPos& pos : list->covered) encodePos(w, pos);
  }
}

void KeyDelta::decode(ByteReader& r) {
  key = std::string(r.bytes());
  uint8_t mask = r.u8();
  if (mask & ~(kStr | kExpiry | kHash | kSet | kZSet | kList | kResetDot)) r.fail("unknown key part");
  if (mask & kResetDot) resetDot = readDot(r);
  if (mask & kStr) strPart().decode(r);
  if (mask & kExpiry) expiryPart().decode(r);
  if (mask & kHash) decodeNamed(r, hash);
  if (mask & kSet) decodeNamed(r, set);
  if (mask & kZSet) {
    decodeNamed(r, zset);
    for (const auto& [member, cd] : zset)
      for (const Entry& e : cd.add) {
        double score = 0;
        if (e.hasValue() && e.val.size() == 8) std::memcpy(&score, e.val.data(), 8);
        if (e.hasValue() && (e.val.size() != 8 || std::isnan(score))) r.fail("bad score");
      }
  }
  if (mask & kList) {
    ListDelta& l = listPart();
    uint64_t n = r.count(5);
    l.add.resize(n);
    for (ListRec& rec : l.add) {
      decodePos(r, rec.pos);
      rec.elem.hlc = r.varint();
      uint64_t writer = r.varint();
      if (writer == 0 || writer > 0xffff) r.fail("bad instance id in list element");
      rec.elem.writer = static_cast<uint16_t>(writer);
      rec.elem.val = SmallString(r.bytes());
    }
    n = r.count(2);
    l.covered.resize(n);
    for (ListPos& pos : l.covered) decodePos(r, pos);
  }
}

}  // namespace raa
