// String and counter commands. A SET-like write replaces the whole value (last writer
// wins) and resets the counts it had seen; INCR-like writes add to this instance's count.
#include <cmath>

#include "table.h"

namespace raa {

namespace {
constexpr int64_t kMaxStringLen = 512ll * 1024 * 1024;

// The visible string key, or null; answers WRONGTYPE (and returns false) for other types.
bool readString(Cmd& c, std::string_view key, KeyState*& k) {
  k = c.ks.lookupRead(key);
  return typeIs(c, k, Type::String);
}

// Replace the value of a string key. keepTtl keeps its expiry; atMs > 0 sets a new one.
void writeString(Keyspace& ks, std::string_view key, std::string_view value, bool keepTtl, int64_t atMs) {
  bool visible = ks.lookupWrite(key) != nullptr;  // deletes an expired key first
  KeyDelta& d = ks.stringWrite(key);
  if (const KeyState* raw = ks.find(key)) coverKey(*raw, d, keepTtl && visible);
  d.strPart().add.push_back(valueEntry(ks, value));
  if (atMs) d.expiryPart().add.push_back(expiryEntry(ks, atMs));
  ks.commit(d);
}

enum SetFlags { kNX = 1, kXX = 2, kGET = 4, kKEEPTTL = 8, kEX = 16, kPX = 32, kEXAT = 64, kPXAT = 128 };

// Parses SET/GETEX-style options from argv[from]; returns false after answering an error.
// allowed: the flags this command accepts. Redis's parseExtendedStringArgumentsOrReply.
bool parseExpiryOptions(Cmd& c, size_t from, int allowed, int& flags, int64_t& atMs, const char* cmd) {
  const Args& a = c.argv;
  std::string_view expireArg;
  for (size_t j = from; j < a.size(); j++) {
    std::string_view opt = a[j];
    bool hasNext = j + 1 < a.size();
    int f = 0;
    if (equalsIgnoreCase(opt, "nx")) f = kNX;
    else if (equalsIgnoreCase(opt, "xx")) f = kXX;
    else if (equalsIgnoreCase(opt, "get")) f = kGET;
    else if (equalsIgnoreCase(opt, "keepttl")) f = kKEEPTTL;
    else if (equalsIgnoreCase(opt, "persist")) f = 256;
    else if (equalsIgnoreCase(opt, "ex")) f = kEX;
    else if (equalsIgnoreCase(opt, "px")) f = kPX;
    else if (equalsIgnoreCase(opt, "exat")) f = kEXAT;
    else if (equalsIgnoreCase(opt, "pxat")) f = kPXAT;
    int expiryFlags = kKEEPTTL | kEX | kPX | kEXAT | kPXAT | 256;
    bool conflict = !(f & allowed) || (f == kNX && (flags & kXX)) || (f == kXX && (flags & kNX)) ||
                    ((f & expiryFlags) && (flags & expiryFlags & ~f));
    bool needsValue = f & (kEX | kPX | kEXAT | kPXAT);
    if (conflict || (needsValue && !hasNext)) {
      c.r.error(kSyntax);
      return false;
    }
    flags |= f;
    if (needsValue) expireArg = a[++j];
  }
  if (!(flags & (kEX | kPX | kEXAT | kPXAT))) return true;
  int64_t v;
  if (!intArg(c, expireArg, v)) return false;
  std::string invalid = std::string("ERR invalid expire time in '") + cmd + "' command";
  if (v <= 0 || ((flags & (kEX | kEXAT)) && v > INT64_MAX / 1000)) {
    c.r.error(invalid);
    return false;
  }
  if (flags & (kEX | kEXAT)) v *= 1000;
  if (flags & (kEX | kPX)) {
    int64_t now = c.ks.nowMs();
    if (v > INT64_MAX - now) {
      c.r.error(invalid);
      return false;
    }
    v += now;
  }
  atMs = v;
  return true;
}

void getCmd(Cmd& c) {
  KeyState* k;
  if (!readString(c, c.argv[1], k)) return;
  if (!k) return c.r.null();
  c.r.bulk(stringValue(k->str));
}

void setCmd(Cmd& c) {
  int flags = 0;
  int64_t atMs = 0;
  if (!parseExpiryOptions(c, 3, kNX | kXX | kGET | kKEEPTTL | kEX | kPX | kEXAT | kPXAT, flags, atMs, "set")) return;
  std::string_view key = c.argv[1];
  KeyState* k = c.ks.lookupWrite(key);
  std::string old;
  bool had = k != nullptr;
  if (flags & kGET) {
    if (!typeIs(c, k, Type::String)) return;
    if (k) old = stringValue(k->str);
  }
  bool write = !((flags & kNX) && had) && !((flags & kXX) && !had);
  if (write) writeString(c.ks, key, c.argv[2], flags & kKEEPTTL, atMs);
  if (flags & kGET) return had ? c.r.bulk(old) : c.r.null();
  write ? c.r.ok() : c.r.null();
}

void setnxCmd(Cmd& c) {
  if (c.ks.lookupWrite(c.argv[1])) return c.r.integer(0);
  writeString(c.ks, c.argv[1], c.argv[2], false, 0);
  c.r.integer(1);
}

void setexGeneric(Cmd& c, bool ms, const char* name) {
  int64_t v;
  if (!intArg(c, c.argv[2], v)) return;
  int64_t now = c.ks.nowMs();
  if (v <= 0 || (!ms && v > INT64_MAX / 1000) || (ms ? v : v * 1000) > INT64_MAX - now) {
    c.r.error(std::string("ERR invalid expire time in '") + name + "' command");
    return;
  }
  writeString(c.ks, c.argv[1], c.argv[3], false, now + (ms ? v : v * 1000));
  c.r.ok();
}
void setexCmd(Cmd& c) { setexGeneric(c, false, "setex"); }
void psetexCmd(Cmd& c) { setexGeneric(c, true, "psetex"); }

void getsetCmd(Cmd& c) {
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::String)) return;
  std::string old;
  if (k) old = stringValue(k->str);
  writeString(c.ks, c.argv[1], c.argv[2], false, 0);
  k ? c.r.bulk(old) : c.r.null();
}

void getdelCmd(Cmd& c) {
  KeyState* k;
  if (!readString(c, c.argv[1], k)) return;
  if (!k) return c.r.null();
  std::string old = stringValue(k->str);
  c.ks.deleteKey(c.argv[1]);
  c.r.bulk(old);
}

void getexCmd(Cmd& c) {
  int flags = 0;
  int64_t atMs = 0;
  if (!parseExpiryOptions(c, 2, kEX | kPX | kEXAT | kPXAT | 256, flags, atMs, "getex")) return;
  std::string_view key = c.argv[1];
  KeyState* k;
  if (!readString(c, key, k)) return;
  if (!k) return c.r.null();
  std::string value = stringValue(k->str);
  if (atMs && atMs <= c.ks.nowMs()) {
    c.ks.deleteKey(key);
  } else if (atMs || ((flags & 256) && k->expireAt())) {
    KeyDelta d = deltaFor(key);
    if (k->expiry) k->expiry->coverAll(d.expiryPart());
    d.expiryPart().add.push_back(expiryEntry(c.ks, atMs));  // 0 = PERSIST
    c.ks.commit(d);
  }
  c.r.bulk(value);
}

void mgetCmd(Cmd& c) {
  c.r.array(c.argv.size() - 1);
  for (size_t i = 1; i < c.argv.size(); i++) {
    KeyState* k = c.ks.lookupRead(c.argv[i]);
    if (k && k->visibleType() == Type::String) c.r.bulk(stringValue(k->str));
    else c.r.null();
  }
}

void msetGeneric(Cmd& c, bool nx) {
  if (c.argv.size() % 2 == 0) {
    c.r.error(std::string("ERR wrong number of arguments for '") + (nx ? "msetnx" : "mset") + "' command");
    return;
  }
  if (nx)
    for (size_t i = 1; i < c.argv.size(); i += 2)
      if (c.ks.lookupWrite(c.argv[i])) return c.r.integer(0);
  for (size_t i = 1; i < c.argv.size(); i += 2) writeString(c.ks, c.argv[i], c.argv[i + 1], false, 0);
  nx ? c.r.integer(1) : c.r.ok();
}
void msetCmd(Cmd& c) { msetGeneric(c, false); }
void msetnxCmd(Cmd& c) { msetGeneric(c, true); }

void appendCmd(Cmd& c) {
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::String)) return;
  std::string v = k ? stringValue(k->str) : std::string();
  if (static_cast<int64_t>(v.size() + c.argv[2].size()) > kMaxStringLen)
    return c.r.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  v.append(c.argv[2]);
  writeString(c.ks, c.argv[1], v, true, 0);
  c.r.integer(static_cast<int64_t>(v.size()));
}

void strlenCmd(Cmd& c) {
  KeyState* k;
  if (!readString(c, c.argv[1], k)) return;
  c.r.integer(k ? static_cast<int64_t>(stringValue(k->str).size()) : 0);
}

void getrangeCmd(Cmd& c) {
  int64_t start, end;
  if (!intArg(c, c.argv[2], start) || !intArg(c, c.argv[3], end)) return;
  KeyState* k;
  if (!readString(c, c.argv[1], k)) return;
  std::string v = k ? stringValue(k->str) : std::string();
  int64_t len = static_cast<int64_t>(v.size());
  // Redis: negative start and end both count from the end; an empty range is "".
  if (start < 0 && end < 0 && start > end) return c.r.bulk("");
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) return c.r.bulk("");
  c.r.bulk(std::string_view(v).substr(start, end - start + 1));
}

void setrangeCmd(Cmd& c) {
  int64_t offset;
  if (!intArg(c, c.argv[2], offset)) return;
  if (offset < 0) return c.r.error("ERR offset is out of range");
  std::string_view add = c.argv[3];
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::String)) return;
  std::string v = k ? stringValue(k->str) : std::string();
  if (add.empty()) return c.r.integer(static_cast<int64_t>(v.size()));
  if (offset > kMaxStringLen - static_cast<int64_t>(add.size()))
    return c.r.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  if (v.size() < offset + add.size()) v.resize(offset + add.size(), '\0');
  v.replace(offset, add.size(), add);
  writeString(c.ks, c.argv[1], v, true, 0);
  c.r.integer(static_cast<int64_t>(v.size()));
}

// An increment of a string counter: the value is untouched, this instance's count grows.
void incrementString(Keyspace& ks, std::string_view key, KeyState* k, __int128 di, long double df) {
  KeyDelta& d = ks.stringWrite(key);
  const KeyState* raw = ks.find(key);
  if (!k && raw) coverOtherTypes(raw, d, Type::String);
  countInto(ks, raw ? &raw->str : nullptr, d.strPart(), di, df);
  ks.commit(d);
}

void incrGeneric(Cmd& c, int64_t by) {
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::String)) return;
  int64_t cur = 0;
  if (k && !stringInt(k->str, cur)) return c.r.error(kNotInteger);
  if ((by < 0 && cur < 0 && by < INT64_MIN - cur) || (by > 0 && cur > 0 && by > INT64_MAX - cur))
    return c.r.error(kOverflow);
  incrementString(c.ks, c.argv[1], k, by, 0);
  c.r.integer(cur + by);
}

void incrCmd(Cmd& c) { incrGeneric(c, 1); }
void decrCmd(Cmd& c) { incrGeneric(c, -1); }
void incrbyCmd(Cmd& c) {
  int64_t by;
  if (intArg(c, c.argv[2], by)) incrGeneric(c, by);
}
void decrbyCmd(Cmd& c) {
  int64_t by;
  if (!intArg(c, c.argv[2], by)) return;
  if (by == INT64_MIN) return c.r.error("ERR decrement would overflow");
  incrGeneric(c, -by);
}

void incrbyfloatCmd(Cmd& c) {
  long double by, cur = 0;
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::String)) return;
  if ((k && !parseLongDouble(stringValue(k->str), cur)) || !parseLongDouble(c.argv[2], by))
    return c.r.error(kNotFloat);
  long double result = cur + by;
  if (std::isnan(result) || std::isinf(result)) return c.r.error("ERR increment would produce NaN or Infinity");
  std::string reply;
  long double step = floatIncrement(k ? &k->str : nullptr, c.ks.instanceId(), cur, by, reply);
  incrementString(c.ks, c.argv[1], k, 0, step);
  c.r.bulk(reply);
}

const CommandSpec kCommands[] = {
    {"get", 2, getCmd},           {"set", -3, setCmd},
    {"setnx", 3, setnxCmd},       {"setex", 4, setexCmd},
    {"psetex", 4, psetexCmd},     {"getset", 3, getsetCmd},
    {"getdel", 2, getdelCmd},     {"getex", -2, getexCmd},
    {"mget", -2, mgetCmd},        {"mset", -3, msetCmd},
    {"msetnx", -3, msetnxCmd},    {"append", 3, appendCmd},
    {"strlen", 2, strlenCmd},     {"getrange", 4, getrangeCmd},
    {"substr", 4, getrangeCmd},   {"setrange", 4, setrangeCmd},
    {"incr", 2, incrCmd},         {"decr", 2, decrCmd},
    {"incrby", 3, incrbyCmd},     {"decrby", 3, decrbyCmd},
    {"incrbyfloat", 3, incrbyfloatCmd},
};
}  // namespace

void registerStringCommands() { addCommands(kCommands); }

}  // namespace raa
