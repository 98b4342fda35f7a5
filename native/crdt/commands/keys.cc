// Generic key commands: deletion (observed-remove), expiry (longest TTL and PERSIST win
// among concurrent writes), iteration, RENAME.
#include <cmath>

#include "../glob.h"
#include "table.h"

namespace raa {

namespace {

void delCmd(Cmd& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.argv.size(); i++)
    if (c.ks.lookupWrite(c.argv[i])) n += c.ks.deleteKey(c.argv[i]);
  c.r.integer(n);
}

void existsCmd(Cmd& c) {
  int64_t n = 0;
  for (size_t i = 1; i < c.argv.size(); i++) n += c.ks.lookupRead(c.argv[i]) != nullptr;
  c.r.integer(n);
}

void typeCmd(Cmd& c) {
  KeyState* k = c.ks.lookupRead(c.argv[1]);
  c.r.status(k ? typeName(k->visibleType()) : "none");
}

void dbsizeCmd(Cmd& c) { c.r.integer(static_cast<int64_t>(c.ks.keyCount())); }

void randomkeyCmd(Cmd& c) {
  std::string key;
  c.ks.randomKey(key) ? c.r.bulk(key) : c.r.null();
}

bool visibleNow(Keyspace& ks, const KeyState& k) { return k.visibleType() != Type::None && !ks.isExpired(k); }

void keysCmd(Cmd& c) {
  std::string_view pattern = c.argv[1];
  bool all = pattern == "*";
  std::vector<const SmallString*> out;
  for (const auto& [name, k] : c.ks.keys())
    if (visibleNow(c.ks, k) && (all || globMatch(pattern, name))) out.push_back(&name);
  c.r.array(out.size());
  for (const SmallString* name : out) c.r.bulk(*name);
}

// SCAN walks the key table's home slots in reverse-binary order (KeyTable::scan): every key
// present for the whole iteration is returned, across resizes, as in Redis.
void scanCmd(Cmd& c) {
  uint64_t cursor;
  if (!parseCursor(c.argv[1], cursor)) return c.r.error("ERR invalid cursor");
  std::string_view pattern;
  std::string_view type;
  int64_t count = 10;
  for (size_t i = 2; i < c.argv.size(); i += 2) {
    if (i + 1 >= c.argv.size()) return c.r.error(kSyntax);
    if (equalsIgnoreCase(c.argv[i], "match")) pattern = c.argv[i + 1];
    else if (equalsIgnoreCase(c.argv[i], "count")) {
      if (!intArg(c, c.argv[i + 1], count)) return;
      if (count < 1) return c.r.error(kSyntax);
    } else if (equalsIgnoreCase(c.argv[i], "type")) type = c.argv[i + 1];
    else return c.r.error(kSyntax);
  }
  // As Redis: gather the keys of whole home slots until COUNT are gathered (or ten times
  // COUNT slots were visited), then filter.
  std::vector<const KeyEntry*> seen;
  uint64_t next = cursor;
  int64_t slots = count * 10;
  do {
    next = c.ks.keys().scan(next, [&](const KeyEntry& e) { seen.push_back(&e); });
  } while (next && --slots > 0 && static_cast<int64_t>(seen.size()) < count);
  std::vector<const SmallString*> out;
  for (const KeyEntry* e : seen) {
    const KeyState& k = e->second;
    if (!visibleNow(c.ks, k)) continue;
    if (!pattern.empty() && pattern != "*" && !globMatch(pattern, e->first)) continue;
    if (!type.empty() && !equalsIgnoreCase(type, typeName(k.visibleType()))) continue;
    out.push_back(&e->first);
  }
  c.r.array(2);
  c.r.bulk(std::to_string(next));
  c.r.array(out.size());
  for (const SmallString* name : out) c.r.bulk(*name);
}

// Writes the visible value of `src` (of type t) under `dst`, with expiry atMs (0: none), as
// fresh writes of this instance.
void writeCopy(Keyspace& ks, const KeyState& src, Type t, std::string_view dst, int64_t atMs) {
  KeyDelta d = deltaFor(dst);
  if (const KeyState* raw = ks.find(dst)) coverKey(*raw, d, false);
  auto add = [&](NamedCellDeltas& part, std::string_view name, Entry e) {
    part.emplace_back(std::string(name), CellDelta{});
    part.back().second.add.push_back(std::move(e));
  };
  switch (t) {
    case Type::String: d.strPart().add.push_back(valueEntry(ks, stringValue(src.str))); break;
    case Type::Hash:
      for (const auto& [f, cell] : *src.hash)
        if (cell.visible()) add(d.hash, f, valueEntry(ks, stringValue(cell)));
      break;
    case Type::Set:
      for (const auto& [m, cell] : *src.set)
        if (cell.visible()) add(d.set, m, valueEntry(ks, ""));
      break;
    case Type::ZSet:
      src.zset->forEach([&](std::string_view m, double score) { add(d.zset, m, scoreEntry(ks, score)); });
      break;
    case Type::List: {
      int64_t digit = 0;
      for (const auto& [pos, e] : src.list->elems) {
        digit++;
        d.listPart().add.push_back(listRec(ks, PosDigits(&digit, 1), e.val));
      }
      break;
    }
    default: break;
  }
  if (atMs) d.expiryPart().add.push_back(expiryEntry(ks, atMs));
  ks.commit(d);
}

void renameGeneric(Cmd& c, bool nx) {
  std::string_view src = c.argv[1], dst = c.argv[2];
  KeyState* k = c.ks.lookupWrite(src);
  if (!k) return c.r.error("ERR no such key");
  if (src == dst) return nx ? c.r.integer(0) : c.r.ok();
  if (nx && c.ks.lookupWrite(dst)) return c.r.integer(0);
  c.ks.lookupWrite(dst);
  int64_t at = k->expireAt();
  writeCopy(c.ks, *k, k->visibleType(), dst, at);
  c.ks.deleteKey(src);
  nx ? c.r.integer(1) : c.r.ok();
}
void renameCmd(Cmd& c) { renameGeneric(c, false); }
void renamenxCmd(Cmd& c) { renameGeneric(c, true); }

enum { kUnitMs = 1, kUnitSeconds = 1000 };

void expireGeneric(Cmd& c, int64_t base, int unit, const char* name) {
  int64_t when;
  if (!intArg(c, c.argv[2], when)) return;
  bool nx = false, xx = false, gt = false, lt = false;
  for (size_t i = 3; i < c.argv.size(); i++) {
    std::string_view o = c.argv[i];
    if (equalsIgnoreCase(o, "nx")) nx = true;
    else if (equalsIgnoreCase(o, "xx")) xx = true;
    else if (equalsIgnoreCase(o, "gt")) gt = true;
    else if (equalsIgnoreCase(o, "lt")) lt = true;
    else return c.r.error("ERR Unsupported option " + std::string(o));
  }
  if (nx && (xx || gt || lt)) return c.r.error("ERR NX and XX, GT or LT options at the same time are not compatible");
  if (gt && lt) return c.r.error("ERR GT and LT options at the same time are not compatible");
  std::string invalid = std::string("ERR invalid expire time in '") + name + "' command";
  if (unit == kUnitSeconds) {
    if (when > INT64_MAX / 1000 || when < INT64_MIN / 1000) return c.r.error(invalid);
    when *= 1000;
  }
  if (when > INT64_MAX - base) return c.r.error(invalid);
  when += base;
  std::string_view key = c.argv[1];
  KeyState* k = c.ks.lookupWrite(key);
  if (!k) return c.r.integer(0);
  int64_t current = k->expireAt();
  if ((nx && current) || (xx && !current) || (gt && (!current || when <= current)) || (lt && current && when >= current))
    return c.r.integer(0);
  if (when <= c.ks.nowMs()) {
    c.ks.deleteKey(key);
    return c.r.integer(1);
  }
  KeyDelta d = deltaFor(key);
  if (k->expiry) k->expiry->coverAll(d.expiryPart());
  d.expiryPart().add.push_back(expiryEntry(c.ks, when));
  c.ks.commit(d);
  c.r.integer(1);
}
void expireCmd(Cmd& c) { expireGeneric(c, c.ks.nowMs(), kUnitSeconds, "expire"); }
void pexpireCmd(Cmd& c) { expireGeneric(c, c.ks.nowMs(), kUnitMs, "pexpire"); }
void expireatCmd(Cmd& c) { expireGeneric(c, 0, kUnitSeconds, "expireat"); }
void pexpireatCmd(Cmd& c) { expireGeneric(c, 0, kUnitMs, "pexpireat"); }

void ttlGeneric(Cmd& c, bool ms, bool absolute) {
  KeyState* k = c.ks.lookupRead(c.argv[1]);
  if (!k) return c.r.integer(-2);
  int64_t at = k->expireAt();
  if (!at) return c.r.integer(-1);
  int64_t ttl = absolute ? at : at - c.ks.nowMs();
  if (ttl < 0) ttl = 0;
  c.r.integer(ms ? ttl : (ttl + 500) / 1000);
}
void ttlCmd(Cmd& c) { ttlGeneric(c, false, false); }
void pttlCmd(Cmd& c) { ttlGeneric(c, true, false); }
void expiretimeCmd(Cmd& c) { ttlGeneric(c, false, true); }
void pexpiretimeCmd(Cmd& c) { ttlGeneric(c, true, true); }

// PERSIST writes an explicit "no expiry" entry, which beats concurrent TTLs.
void persistCmd(Cmd& c) {
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!k || !k->expireAt()) return c.r.integer(0);
  KeyDelta d = deltaFor(c.argv[1]);
  k->expiry->coverAll(d.expiryPart());
  d.expiryPart().add.push_back(expiryEntry(c.ks, 0));
  c.ks.commit(d);
  c.r.integer(1);
}

// FLUSHALL / FLUSHDB: an observed-remove of every key; concurrent writes elsewhere survive.
void flushCmd(Cmd& c) {
  for (size_t i = 1; i < c.argv.size(); i++)
    if (!equalsIgnoreCase(c.argv[i], "sync") && !equalsIgnoreCase(c.argv[i], "async")) return c.r.error(kSyntax);
  std::vector<std::string> names;
  names.reserve(c.ks.keys().size());
  for (const auto& [name, k] : c.ks.keys()) names.push_back(name.str());
  for (const std::string& name : names) c.ks.deleteKey(name);
  c.r.ok();
}

const CommandSpec kCommands[] = {
    {"del", -2, delCmd},
    {"unlink", -2, delCmd},
    {"exists", -2, existsCmd},
    {"type", 2, typeCmd},
    {"dbsize", 1, dbsizeCmd},
    {"randomkey", 1, randomkeyCmd},
    {"keys", 2, keysCmd},
    {"scan", -2, scanCmd},
    {"rename", 3, renameCmd},
    {"renamenx", 3, renamenxCmd},
    {"expire", -3, expireCmd},
    {"pexpire", -3, pexpireCmd},
    {"expireat", -3, expireatCmd},
    {"pexpireat", -3, pexpireatCmd},
    {"ttl", 2, ttlCmd},
    {"pttl", 2, pttlCmd},
    {"expiretime", 2, expiretimeCmd},
    {"pexpiretime", 2, pexpiretimeCmd},
    {"persist", 2, persistCmd},
    {"flushall", -1, flushCmd},
    {"flushdb", -1, flushCmd},
};
}  // namespace

void registerKeyCommands() { addCommands(kCommands); }

}  // namespace raa
