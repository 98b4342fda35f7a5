// The CRDT state of one key, and the delta of one key that effects and snapshots carry.
//
// A key keeps one part per data type. Normally only one is non-empty; when two instances
// create the same key concurrently as different types, both parts are kept and the key
// shows the type whose newest write has the highest stamp (docs/semantics.md).
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cell.h"
#include "cell_map.h"
#include "list_seq.h"
#include "zset.h"

namespace raa {

enum class Type : uint8_t { None = 0, String, Hash, Set, ZSet, List };
const char* typeName(Type t);

struct ListVal {
  ListSeq elems;
};
struct ListRec {
  ListPos pos;
  ListElem elem;
};
struct ListDelta {
  std::vector<ListRec> add;
  std::vector<ListPos> covered;
};

struct KeyState {
  Cell str;  // inline: most keys are strings
  std::unique_ptr<CellMap> hash;
  std::unique_ptr<CellMap> set;
  std::unique_ptr<ZSetVal> zset;
  std::unique_ptr<ListVal> list;
  std::unique_ptr<Cell> expiry;

  bool isEmpty() const;
  Type visibleType() const;
  // Absolute expiry in unix ms, 0 when the key has none.
  int64_t expireAt() const;
  // The instance that wrote the winning expiry: it deletes the key when it expires.
  uint16_t expiryOwner() const;
  // Whether a part of another type than t holds anything (a concurrent creation's leftovers).
  bool hasOtherTypes(Type t) const;
};

using NamedCellDeltas = std::vector<std::pair<std::string, CellDelta>>;

struct KeyDelta {
  std::string key;
  Dot resetDot = 0;  // the dot of a write that reset counters (see Counter::bdot)
  std::unique_ptr<CellDelta> str, expiry;
  NamedCellDeltas hash, set, zset;
  std::unique_ptr<ListDelta> list;

  CellDelta& strPart() {
    if (!str) str = std::make_unique<CellDelta>();
    return *str;
  }
  CellDelta& expiryPart() {
    if (!expiry) expiry = std::make_unique<CellDelta>();
    return *expiry;
  }
  ListDelta& listPart() {
    if (!list) list = std::make_unique<ListDelta>();
    return *list;
  }
  bool empty() const { return !str && !expiry && hash.empty() && set.empty() && zset.empty() && !list; }
  // Whether every type part this delta touches is of type t.
  bool onlyType(Type t) const {
    return (!str || t == Type::String) && (hash.empty() || t == Type::Hash) && (set.empty() || t == Type::Set) &&
           (zset.empty() || t == Type::ZSet) && (!list || t == Type::List);
  }
  void encode(ByteWriter& w) const;
  void decode(ByteReader& r);
  // Every dot this delta carries (written entries and covered ones).
  template <class F>
  void forEachDot(const F& f) const;
  // Every counter this delta carries.
  template <class F>
  void forEachCounter(const F& f);
  bool hasCounters() const;
};

// The full state of a key as a delta (for snapshots).
void keyToDelta(const KeyState& k, KeyDelta& d);
// A delta that removes everything of the key that is here (DEL), or all but the expiry
// and the part of type `keep` (a write of type `keep` that replaces the other types).
void coverKey(const KeyState& k, KeyDelta& d, bool keepExpiry, Type keep = Type::None);

template <class F>
void KeyDelta::forEachDot(const F& f) const {
  auto cell = [&](const CellDelta& c) {
    for (const Entry& e : c.add) f(e.dot);
    for (Dot dot : c.covered) f(dot);
  };
  if (resetDot) f(resetDot);
  if (str) cell(*str);
  if (expiry) cell(*expiry);
  for (auto* m : {&hash, &set, &zset})
    for (const auto& [name, c] : *m) cell(c);
  if (list) {
    for (const ListRec& r : list->add) f(r.pos.cdot);
    for (const ListPos& p : list->covered) f(p.cdot);
  }
}

inline bool KeyDelta::hasCounters() const {
  if (str && !str->counters.empty()) return true;
  for (auto* m : {&hash, &zset})
    for (const auto& [name, cd] : *m)
      if (!cd.counters.empty()) return true;
  return false;
}

template <class F>
void KeyDelta::forEachCounter(const F& f) {
  if (str)
    for (Counter& c : str->counters) f(c);
  for (auto* m : {&hash, &zset})
    for (auto& [name, cd] : *m)
      for (Counter& c : cd.counters) f(c);
}

}  // namespace raa
