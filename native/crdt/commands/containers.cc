#include "containers.h"

#include "../glob.h"

#include <unordered_set>

namespace raa {

std::vector<const std::string*> liveNames(const CellMap* m) {
  std::vector<const std::string*> out;
  if (!m) return out;
  out.reserve(m->live);
  for (const auto& [name, cell] : m->cells)
    if (cell.visible()) out.push_back(&name);
  return out;
}

bool writeCell(Keyspace& ks, const CellMap* m, NamedCellDeltas& part, std::string_view name, std::string_view value) {
  part.emplace_back(std::string(name), CellDelta{});
  CellDelta& cd = part.back().second;
  bool visible = false;
  if (m) {
    auto it = findNamed(m->cells, name);
    if (it != m->cells.end()) {
      visible = it->second.visible();
      it->second.coverAll(cd);
    }
  }
  cd.add.push_back(valueEntry(ks, value));
  return visible;
}

std::vector<size_t> distinctNames(const Args& argv, size_t from, size_t step) {
  std::vector<size_t> out;
  if (argv.size() <= from + step) {  // one name: nothing to compare (the common case)
    if (argv.size() > from) out.push_back(from);
    return out;
  }
  std::unordered_set<std::string_view> seen;
  for (size_t end = argv.size(); end >= from + step; end -= step)
    if (seen.insert(argv[end - step]).second) out.push_back(end - step);
  return out;
}

bool removeCell(const CellMap* m, NamedCellDeltas& part, std::string_view name) {
  if (!m) return false;
  auto it = findNamed(m->cells, name);
  if (it == m->cells.end()) return false;
  bool was = it->second.visible();
  part.emplace_back(std::string(name), CellDelta{});
  it->second.coverAll(part.back().second);
  return was;
}

bool scanCursorArg(Cmd& c) {
  uint64_t cursor;
  if (parseCursor(c.argv[2], cursor)) return true;
  c.r.error("ERR invalid cursor");
  return false;
}

bool scanOptions(Cmd& c, std::string_view& pattern) {
  for (size_t i = 3; i < c.argv.size(); i += 2) {
    if (i + 1 >= c.argv.size()) {
      c.r.error(kSyntax);
      return false;
    }
    if (equalsIgnoreCase(c.argv[i], "match")) {
      pattern = c.argv[i + 1];
    } else if (equalsIgnoreCase(c.argv[i], "count")) {
      int64_t count;
      if (!intArg(c, c.argv[i + 1], count)) return false;
      if (count < 1) {
        c.r.error(kSyntax);
        return false;
      }
    } else {
      c.r.error(kSyntax);
      return false;
    }
  }
  return true;
}

void scanReply(Cmd& c, const std::vector<std::pair<std::string_view, std::string>>& items, bool withValues) {
  c.r.array(2);
  c.r.bulk("0");
  c.r.array(items.size() * (withValues ? 2 : 1));  // flat in RESP3 too, as Redis does
  for (const auto& [name, value] : items) {
    c.r.bulk(name);
    if (withValues) c.r.bulk(value);
  }
}

bool randomCountArgs(Cmd& c, int64_t& count, bool& withValues, const char* withWord) {
  if (!intArg(c, c.argv[2], count)) return false;
  if (count == INT64_MIN) {
    c.r.error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    return false;
  }
  size_t max = withWord ? 4 : 3;
  if (c.argv.size() > max || (c.argv.size() == 4 && !equalsIgnoreCase(c.argv[3], withWord))) {
    c.r.error(kSyntax);
    return false;
  }
  withValues = c.argv.size() == 4;
  if (withValues && (count < -(INT64_MAX / 2) || count > INT64_MAX / 2)) {
    c.r.error("ERR value is out of range");
    return false;
  }
  return true;
}

}  // namespace raa
