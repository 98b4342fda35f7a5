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

// Parses "cursor [MATCH pattern] [COUNT n]" from argv[from]. Answers errors itself.
bool scanArgs(Cmd& c, size_t from, std::string_view& pattern);
// Reply of a SCAN-family command that returns everything at once (cursor 0).
void scanReply(Cmd& c, const std::vector<std::pair<std::string_view, std::string>>& items, bool withValues);

// Count argument of SRANDMEMBER / HRANDFIELD / ZRANDMEMBER.
bool randomCountArg(Cmd& c, std::string_view s, int64_t& out);

}  // namespace raa
