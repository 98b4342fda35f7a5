// Hash commands. Fields are an add-wins map of cells: HDEL removes what it had seen,
// field values are last-writer-wins, HINCRBY/HINCRBYFLOAT count like string counters.
#include <cmath>
#include <unordered_set>

#include "../glob.h"
#include "containers.h"

namespace raa {

namespace {

bool readHash(Cmd& c, KeyState*& k) {
  k = c.ks.lookupRead(c.argv[1]);
  return typeIs(c, k, Type::Hash);
}
bool writeHash(Cmd& c, KeyState*& k) {
  k = c.ks.lookupWrite(c.argv[1]);
  return typeIs(c, k, Type::Hash);
}
const CellMap* hashOf(Keyspace& ks, std::string_view key) {
  const KeyState* raw = ks.find(key);
  return raw ? raw->hash.get() : nullptr;
}

// HSET/HMSET/HSETNX: returns how many fields were new.
int64_t setFields(Cmd& c, size_t from) {
  std::string_view key = c.argv[1];
  KeyDelta d = deltaFor(key);
  if (!c.ks.lookupWrite(key)) coverOtherTypes(c.ks.find(key), d, Type::Hash);
  const CellMap* m = hashOf(c.ks, key);
  int64_t added = 0;
  d.hash.reserve((c.argv.size() - from) / 2);
  // A field named twice is written once, with its last value (as Redis leaves it).
  for (size_t i : distinctNames(c.argv, from, 2)) added += !writeCell(c.ks, m, d.hash, c.argv[i], c.argv[i + 1]);
  c.ks.commit(d);
  return added;
}

bool evenPairs(Cmd& c, const char* name) {
  if (c.argv.size() % 2 == 0) return true;
  c.r.error(std::string("ERR wrong number of arguments for '") + name + "' command");
  return false;
}

void hsetCmd(Cmd& c) {
  KeyState* k;
  if (!evenPairs(c, "hset") || !writeHash(c, k)) return;
  c.r.integer(setFields(c, 2));
}
void hmsetCmd(Cmd& c) {
  KeyState* k;
  if (!evenPairs(c, "hmset") || !writeHash(c, k)) return;
  setFields(c, 2);
  c.r.ok();
}
void hsetnxCmd(Cmd& c) {
  KeyState* k;
  if (!writeHash(c, k)) return;
  if (k && liveCell(k->hash.get(), c.argv[2])) return c.r.integer(0);
  c.r.integer(setFields(c, 2));
}

void hgetCmd(Cmd& c) {
  KeyState* k;
  if (!readHash(c, k)) return;
  const Cell* cell = k ? liveCell(k->hash.get(), c.argv[2]) : nullptr;
  cell ? c.r.bulk(stringValue(*cell)) : c.r.null();
}

void hmgetCmd(Cmd& c) {
  KeyState* k;
  if (!readHash(c, k)) return;
  c.r.array(c.argv.size() - 2);
  for (size_t i = 2; i < c.argv.size(); i++) {
    const Cell* cell = k ? liveCell(k->hash.get(), c.argv[i]) : nullptr;
    cell ? c.r.bulk(stringValue(*cell)) : c.r.null();
  }
}

void hdelCmd(Cmd& c) {
  KeyState* k;
  if (!writeHash(c, k)) return;
  if (!k) return c.r.integer(0);
  KeyDelta d = deltaFor(c.argv[1]);
  int64_t removed = 0;
  std::unordered_set<std::string_view> seen;
  for (size_t i = 2; i < c.argv.size(); i++)
    if (seen.insert(c.argv[i]).second && liveCell(k->hash.get(), c.argv[i]))
      removed += removeCell(k->hash.get(), d.hash, c.argv[i]);
  if (!d.empty()) c.ks.commit(d);
  c.r.integer(removed);
}

void hexistsCmd(Cmd& c) {
  KeyState* k;
  if (!readHash(c, k)) return;
  c.r.integer(k && liveCell(k->hash.get(), c.argv[2]) ? 1 : 0);
}

void hlenCmd(Cmd& c) {
  KeyState* k;
  if (!readHash(c, k)) return;
  c.r.integer(k ? static_cast<int64_t>(k->hash->live) : 0);
}

void hstrlenCmd(Cmd& c) {
  KeyState* k;
  if (!readHash(c, k)) return;
  const Cell* cell = k ? liveCell(k->hash.get(), c.argv[2]) : nullptr;
  c.r.integer(cell ? static_cast<int64_t>(stringValue(*cell).size()) : 0);
}

enum { kKeys = 1, kVals = 2 };
void hgetallGeneric(Cmd& c, int what) {
  KeyState* k;
  if (!readHash(c, k)) return;
  std::vector<const CellMap::Field*> fields = liveFields(k ? k->hash.get() : nullptr);
  what == (kKeys | kVals) ? c.r.map(fields.size()) : c.r.array(fields.size());
  for (const CellMap::Field* f : fields) {
    if (what & kKeys) c.r.bulk(f->name);
    if (what & kVals) c.r.bulk(stringValue(f->cell));
  }
}
void hkeysCmd(Cmd& c) { hgetallGeneric(c, kKeys); }
void hvalsCmd(Cmd& c) { hgetallGeneric(c, kVals); }
void hgetallCmd(Cmd& c) { hgetallGeneric(c, kKeys | kVals); }

// An increment of a field: a presence entry plus this instance's count.
void incrementField(Cmd& c, KeyState* k, std::string_view field, __int128 di, long double df) {
  std::string_view key = c.argv[1];
  KeyDelta d = deltaFor(key);
  if (!k) coverOtherTypes(c.ks.find(key), d, Type::Hash);
  const CellMap* m = hashOf(c.ks, key);
  const CellMap::Field* f = m ? m->find(field) : nullptr;
  const Cell* cell = f ? &f->cell : nullptr;
  d.hash.emplace_back(std::string(field), CellDelta{});
  countInto(c.ks, cell, d.hash.back().second, di, df);
  c.ks.commit(d);
}

void hincrbyCmd(Cmd& c) {
  int64_t by, cur = 0;
  if (!intArg(c, c.argv[3], by)) return;
  KeyState* k;
  if (!writeHash(c, k)) return;
  const Cell* cell = k ? liveCell(k->hash.get(), c.argv[2]) : nullptr;
  if (cell && !stringInt(*cell, cur)) return c.r.error("ERR hash value is not an integer");
  if ((by < 0 && cur < 0 && by < INT64_MIN - cur) || (by > 0 && cur > 0 && by > INT64_MAX - cur))
    return c.r.error(kOverflow);
  incrementField(c, k, c.argv[2], by, 0);
  c.r.integer(cur + by);
}

void hincrbyfloatCmd(Cmd& c) {
  long double by, cur = 0;
  if (!parseLongDouble(c.argv[3], by)) return c.r.error(kNotFloat);
  if (std::isinf(by)) return c.r.error("ERR value is NaN or Infinity");
  KeyState* k;
  if (!writeHash(c, k)) return;
  const Cell* cell = k ? liveCell(k->hash.get(), c.argv[2]) : nullptr;
  if (cell && !parseLongDouble(stringValue(*cell), cur)) return c.r.error("ERR hash value is not a float");
  long double result = cur + by;
  if (std::isnan(result) || std::isinf(result)) return c.r.error("ERR increment would produce NaN or Infinity");
  std::string reply;
  long double step = floatIncrement(cell, c.ks.instanceId(), cur, by, reply);
  incrementField(c, k, c.argv[2], 0, step);
  c.r.bulk(reply);
}

void hscanCmd(Cmd& c) {
  std::string_view pattern;
  KeyState* k;
  if (!scanCursorArg(c) || !readHash(c, k)) return;
  if (!k) return scanReply(c, {}, false);
  if (!scanOptions(c, pattern)) return;
  std::vector<std::pair<std::string_view, std::string>> items;
  for (const CellMap::Field* f : liveFields(k->hash.get()))
    if (pattern.empty() || globMatch(pattern, f->name)) items.emplace_back(f->name, stringValue(f->cell));
  scanReply(c, items, true);
}

void hrandfieldCmd(Cmd& c) {
  int64_t count = 0;
  bool withCount = c.argv.size() >= 3, withValues = false;
  if (withCount && !randomCountArgs(c, count, withValues, "withvalues")) return;
  KeyState* k;
  if (!readHash(c, k)) return;
  std::vector<const CellMap::Field*> picks =
      randomPicks(c.ks, liveFields(k ? k->hash.get() : nullptr), withCount ? count : -1);
  if (!withCount) return picks.empty() ? c.r.null() : c.r.bulk(picks[0]->name);
  withValues ? c.r.pairs(picks.size()) : c.r.array(picks.size());
  for (const CellMap::Field* f : picks) {
    if (withValues) c.r.pair();
    c.r.bulk(f->name);
    if (withValues) c.r.bulk(stringValue(f->cell));
  }
}

const CommandSpec kCommands[] = {
    {"hset", -4, hsetCmd, 2},        {"hmset", -4, hmsetCmd, 2},       {"hsetnx", 4, hsetnxCmd, 2},
    {"hget", 3, hgetCmd, 2},         {"hmget", -3, hmgetCmd, 2},       {"hdel", -3, hdelCmd, 2},
    {"hexists", 3, hexistsCmd, 2},   {"hlen", 2, hlenCmd},             {"hstrlen", 3, hstrlenCmd, 2},
    {"hkeys", 2, hkeysCmd},          {"hvals", 2, hvalsCmd},           {"hgetall", 2, hgetallCmd},
    {"hincrby", 4, hincrbyCmd, 2},   {"hincrbyfloat", 4, hincrbyfloatCmd, 2}, {"hscan", -3, hscanCmd},
    {"hrandfield", -2, hrandfieldCmd},
};
}  // namespace

void registerHashCommands() { addCommands(kCommands); }

}  // namespace raa
