#include "keyspace_rdb.h"

#include <chrono>

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

void writeVisible(RdbWriter& w, std::string_view name, const KeyState& k, Type t) {
  switch (t) {
    case Type::String: return w.stringKey(name, stringValue(k.str));
    case Type::Hash: {
      std::vector<std::string> values;
      std::vector<std::pair<std::string_view, std::string_view>> fields;
      values.reserve(k.hash->live);
      for (const auto& [f, c] : k.hash->cells)
        if (c.visible()) values.push_back(stringValue(c));
      size_t i = 0;
      for (const auto& [f, c] : k.hash->cells)
        if (c.visible()) fields.emplace_back(f, values[i++]);
      return w.hashKey(name, fields);
    }
    case Type::Set: {
      std::vector<std::string_view> members;
      for (const auto& [m, c] : k.set->cells)
        if (c.visible()) members.push_back(m);
      return w.setKey(name, members);
    }
    case Type::ZSet: {
      std::vector<std::pair<std::string_view, double>> members;
      for (const auto& [score, m] : k.zset->order) members.emplace_back(*m, score);
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
  // Most of a file is its values: start near the data's size rather than doubling up to it.
  out.reserve(ks.storedKeys() * 48 + 4096);
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
