// Helpers shared by the hash and set commands: both are maps of cells keyed by name.
#pragma once
#include "table.h"

namespace raa {

// The visible cell of `name` in a hash or set part, or null.
inline const Cell* liveCell(const CellMap* m, std::string_view name) {
  if (!m) return nullptr;
  auto it = m->cells.find(std::string(name));
  return it != m->cells.end() && it->second.visible() ? &it->second : nullptr;
}

// Names of the visible cells, in table order.
std::vector<const std::string*> liveNames(const CellMap* m);

// Adds to `part` a write of `name` that replaces what the cell held (value: the new field
// value, or "" for set members).
void writeCell(Keyspace& ks, const CellMap* m, NamedCellDeltas& part, std::string_view name, std::string_view value);
// Adds to `part` a removal of what the cell held; returns whether it was visible.
bool removeCell(const CellMap* m, NamedCellDeltas& part, std::string_view name);

// HSCAN/SSCAN/ZSCAN key cursor [MATCH pattern] [COUNT n], checked in Redis's order: the
// cursor, then the key (missing: empty reply; wrong type), then the options.
bool scanCursorArg(Cmd& c);
bool scanOptions(Cmd& c, std::string_view& pattern);
// Reply of a SCAN-family command that returns everything at once (cursor 0).
void scanReply(Cmd& c, const std::vector<std::pair<std::string_view, std::string>>& items, bool withValues);

// "key count [withWord]" of SRANDMEMBER (withWord null) / HRANDFIELD / ZRANDMEMBER, with
// Redis 7.0's range checks (the tighter one only when values are asked for).
bool randomCountArgs(Cmd& c, int64_t& count, bool& withValues, const char* withWord);

}  // namespace raa
