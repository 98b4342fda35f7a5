#include "keyspace_rdb.h"

#include <algorithm>
#include <chrono>
#include <new>

#include "crdt/values.h"
#include "writer.h"

namespace raa {

namespace {
std::string vectorClockText(const CausalContext& ctx) {
  std::string out;
  for (const auto& o : ctx.origins()) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(o.id) + ":" + std::to_string(o.contiguous);
  }
  return out;
}

// A cell's visible value without a copy when it is just its winning write (no counters:
// almost every value); computed into `scratch` otherwise.
std::string_view visibleValue(const Cell& c, std::string& scratch) {
  const Entry* win = c.winner();
  if (!c.counters && win) return win->val.view();
  scratch = stringValue(c);
  return scratch;
}

void writeVisible(RdbWriter& w, std::string_view name, const KeyState& k, Type t) {
  std::string scratch;
  switch (t) {
    case Type::String: return w.stringKey(name, visibleValue(k.str, scratch));
    case Type::Hash: {
      // Values that had to be computed (counted fields) live in `computed`, reserved up front
      // so the views into it stay valid.
      std::vector<std::string> computed;
      computed.reserve(k.hash->live);
      std::vector<std::pair<std::string_view, std::string_view>> fields;
      fields.reserve(k.hash->live);
      for (const auto& [f, c] : *k.hash) {
        if (!c.visible()) continue;
        computed.emplace_back();
        std::string_view v = visibleValue(c, computed.back());
        if (v.data() != computed.back().data()) computed.pop_back();
        fields.emplace_back(f, v);
      }
      return w.hashKey(name, fields);
    }
    case Type::Set: {
      std::vector<std::string_view> members;
      for (const auto& [m, c] : *k.set)
        if (c.visible()) members.push_back(m);
      return w.setKey(name, members);
    }
    case Type::ZSet: {
      std::vector<std::pair<std::string_view, double>> members;
      k.zset->forEach([&](std::string_view m, double score) { members.emplace_back(m, score); });
      return w.zsetKey(name, members);
    }
    case Type::List: {
      std::vector<std::string_view> items;
      for (const auto& [pos, e] : k.list->elems) items.push_back(e.val);
      return w.listKey(name, items);
    }
    default: return;
  }
}
}  // namespace

std::string writeKeyspaceRdb(const Keyspace& ks, const RdbExportOptions& o) {
  std::string out;
  // Most of a file is its values, which the allocator's bytes in use bound: reserving that
  // much costs address space only (pages are touched as the file fills them) and spares
  // copying the whole file at every doubling.
  try {
    out.reserve(std::max<size_t>(static_cast<size_t>(std::max<int64_t>(o.usedMemory, 0)), ks.storedKeys() * 48 + 4096));
  } catch (const std::bad_alloc&) {
    out.reserve(ks.storedKeys() * 48 + 4096);
  }
  RdbWriter w(out, o.compress);
  w.header();
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  w.aux("redis-ver", "7.0.15");
  w.aux("redis-bits", "64");
  w.aux("ctime", std::to_string(now));
  w.aux("used-mem", std::to_string(o.usedMemory));
  for (const auto& [k, v] : o.aux) w.aux(k, v);
  w.aux("raa-instance-id", std::to_string(ks.instanceId()));
  w.aux("raa-vector-clock", vectorClockText(ks.context()));
  w.aux("aof-base", "0");
  if (o.crdt) {
    w.aux(kSnapshotAux, ks.snapshotHeader());
    w.selectDb(0);
    w.resizeDb(ks.storedKeys(), 0);
    uint64_t id = moduleId(kCrdtModuleName, kCrdtModuleVersion);
    std::string payload;
    ks.forEachKeyState([&](const KeyDelta& d, const KeyState&) {
      payload.clear();
      ByteWriter bw(payload);
      d.encode(bw);
      w.moduleStringKey(d.key, id, payload);
    });
    w.end();
    return out;
  }
  // Plain: only what a client would see now, so keys whose TTL passed are left out.
  uint64_t keys = 0, expires = 0;
  ks.keys().forEach([&](const KeyEntry& e) {
    if (e.second.visibleType() == Type::None || ks.isExpired(e.second)) return;
    keys++;
    expires += e.second.expireAt() != 0;
  });
  if (keys) {
    w.selectDb(0);
    w.resizeDb(keys, expires);
  }
  ks.keys().forEach([&](const KeyEntry& e) {
    const KeyState& k = e.second;
    Type t = k.visibleType();
    if (t == Type::None || ks.isExpired(k)) return;
    if (int64_t at = k.expireAt()) w.expireAt(at);
    writeVisible(w, e.first.view(), k, t);
  });
  w.end();
  return out;
}

}  // namespace raa
