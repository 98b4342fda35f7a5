// Helpers shared by the hash and set commands: both are maps of cells keyed by name.
#pragma once
#include <algorithm>
#include <vector>

#include "table.h"

namespace raa {

// The visible cell of `name` in a hash or set part, or null.
inline const Cell* liveCell(const CellMap* m, std::string_view name) {
  const CellMap::Field* f = m ? m->find(name) : nullptr;
  return f && f->cell.visible() ? &f->cell : nullptr;
}

// The visible fields, in table order (valid until the map changes).
std::vector<const CellMap::Field*> liveFields(const CellMap* m);

// Adds to `part` a write of `name` that replaces what the cell held (value: the new field
// value, or "" for set members); returns whether the cell was visible.
bool writeCell(Keyspace& ks, const CellMap* m, NamedCellDeltas& part, std::string_view name, std::string_view value);
// The names of argv[from], argv[from + step], ... without repeats, in the order of their
// first occurrence (where Redis puts a new field) but each at its last occurrence (the value
// Redis keeps): HSET writes a field given twice once.
std::vector<size_t> distinctNames(const Args& argv, size_t from, size_t step);
// Adds to `part` a removal of what the cell held; returns whether it was visible.
bool removeCell(const CellMap* m, NamedCellDeltas& part, std::string_view name);

// HSCAN/SSCAN/ZSCAN key cursor [MATCH pattern] [COUNT n], checked in Redis's order: the
// cursor, then the key (missing: empty reply; wrong type), then the options.
bool scanCursorArg(Cmd& c);
bool scanOptions(Cmd& c, std::string_view& pattern);
// Reply of a SCAN-family command that returns everything at once (cursor 0).
void scanReply(Cmd& c, const std::vector<std::pair<std::string_view, std::string>>& items, bool withValues);

// The picks of SPOP, SRANDMEMBER, HRANDFIELD and ZRANDMEMBER: `count` distinct items by a
// partial Fisher-Yates shuffle (all of them when there are fewer), or for a negative count,
// -count picks that may repeat. Without a count these commands take randomPicks(.., -1).
template <class T>
std::vector<T> randomPicks(Keyspace& ks, std::vector<T> items, int64_t count) {
  if (items.empty()) return {};
  if (count < 0) {
    std::vector<T> out;
    for (int64_t i = 0; i < -count; i++) out.push_back(items[ks.random() % items.size()]);
    return out;
  }
  size_t n = std::min<size_t>(static_cast<size_t>(count), items.size());
  for (size_t i = 0; i < n; i++) std::swap(items[i], items[i + ks.random() % (items.size() - i)]);
  items.resize(n);
  return items;
}

// "key count [withWord]" of SRANDMEMBER (withWord null) / HRANDFIELD / ZRANDMEMBER, with
// Redis 7.0's range checks (the tighter one only when values are asked for).
bool randomCountArgs(Cmd& c, int64_t& count, bool& withValues, const char* withWord);

}  // namespace raa
