#include "containers.h"

#include "../glob.h"

#include <unordered_map>

namespace raa {

std::vector<const CellMap::Field*> liveFields(const CellMap* m) {
  std::vector<const CellMap::Field*> out;
  if (!m) return out;
  out.reserve(m->live);
  for (const CellMap::Field& f : *m)
    if (f.cell.visible()) out.push_back(&f);
  return out;
}

bool writeCell(Keyspace& ks, const CellMap* m, NamedCellDeltas& part, std::string_view name, std::string_view value) {
  part.emplace_back(std::string(name), CellDelta{});
  CellDelta& cd = part.back().second;
  bool visible = false;
  if (const CellMap::Field* f = m ? m->find(name) : nullptr) {
    visible = f->cell.visible();
    f->cell.coverAll(cd);
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
  std::unordered_map<std::string_view, size_t> at;  // name -> its place in out
  for (size_t i = from; i + step <= argv.size(); i += step) {
    auto [it, added] = at.emplace(argv[i], out.size());
    if (added) out.push_back(i);
    else out[it->second] = i;
  }
  return out;
}

bool removeCell(const CellMap* m, NamedCellDeltas& part, std::string_view name) {
  const CellMap::Field* f = m ? m->find(name) : nullptr;
  if (!f) return false;
  bool was = f->cell.visible();
  part.emplace_back(std::string(name), CellDelta{});
  f->cell.coverAll(part.back().second);
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
