#include "importer.h"

#include "crdt/values.h"
#include "heap_prefaulter.h"
#include "keyspace_rdb.h"

namespace raa {

void RdbImporter::skip(const std::string& reason) { report_.skipped[reason]++; }

void RdbImporter::function(std::string_view) { skip("function library"); }
void RdbImporter::moduleAux(std::string_view module) { skip("module aux data (" + std::string(module) + ")"); }

void RdbImporter::beginKey(const RdbKey& k) {
  active_ = false;
  if (opt_.onlyDb >= 0 && static_cast<int64_t>(k.db) != opt_.onlyDb) {
    report_.otherDbKeys++;
    return;
  }
  if (k.expireAtMs >= 0 && k.expireAtMs <= opt_.nowMs) {
    report_.expiredKeys++;
    return;
  }
  if (k.kind == RdbKind::Stream) return skip("stream");
  if (k.kind == RdbKind::Module) return;  // counted by moduleValue with its module's name
  active_ = true;
  wrote_ = false;
  key_.assign(k.key.data(), k.key.size());
  expireAt_ = k.expireAtMs;
  switch (k.kind) {
    case RdbKind::List: verb_ = "RPUSH"; break;
    case RdbKind::Set: verb_ = "SADD"; break;
    case RdbKind::ZSet: verb_ = "ZADD"; break;
    case RdbKind::Hash: verb_ = "HSET"; break;
    default: verb_ = nullptr;
  }
  if (verb_ && sink_.mayExist(key_)) {
    sink_.command(Args{"DEL", key_});
    report_.commands++;
  }
}

void RdbImporter::add(std::string_view s) {
  spans_.emplace_back(arena_.size(), s.size());
  arena_.append(s.data(), s.size());
}

// One command for the elements gathered so far: VERB key elements...
void RdbImporter::flush() {
  if (spans_.empty()) return;
  argv_.clear();
  argv_.push_back(verb_);
  argv_.push_back(key_);
  for (auto [off, len] : spans_) argv_.emplace_back(arena_.data() + off, len);
  sink_.command(argv_);
  report_.commands++;
  wrote_ = true;
  spans_.clear();
  arena_.clear();
}

// A string and its TTL in one write: SET ... PXAT.
void RdbImporter::stringValue(std::string_view v) {
  if (!active_) return;
  if (expireAt_ >= 0) {
    std::string at = std::to_string(expireAt_);
    sink_.command(Args{"SET", key_, v, "PXAT", at});
    expireAt_ = -1;
  } else {
    sink_.command(Args{"SET", key_, v});
  }
  report_.commands++;
  wrote_ = true;
}

void RdbImporter::listItem(std::string_view v) {
  if (!active_) return;
  add(v);
  if (spans_.size() >= opt_.batchItems) flush();
}

void RdbImporter::setMember(std::string_view m) {
  if (!active_) return;
  add(m);
  if (spans_.size() >= opt_.batchItems) flush();
}

void RdbImporter::zsetMember(std::string_view m, double score) {
  if (!active_) return;
  add(formatDouble(score));  // %.17g: the double reads back exactly
  add(m);
  if (spans_.size() >= 2 * opt_.batchItems) flush();
}

void RdbImporter::hashField(std::string_view f, std::string_view v, int64_t expireAtMs) {
  if (!active_) return;
  if (expireAtMs != 0) {
    // Hash field TTLs (Redis 7.4) have no counterpart here: a field that already expired
    // is left out, a live one is kept without its TTL, and both are counted.
    if (expireAtMs <= opt_.nowMs) {
      report_.expiredFields++;
      return;
    }
    report_.fieldTtlsDropped++;
  }
  add(f);
  add(v);
  if (spans_.size() >= 2 * opt_.batchItems) flush();
}

void RdbImporter::moduleValue(std::string_view module, uint64_t, const std::vector<ModuleItem>&) {
  if (module == kCrdtModuleName) return skip("CRDT state of this project (load the file as a snapshot)");
  skip("module value (" + std::string(module) + ")");
}

void RdbImporter::endKey() {
  if (!active_) return;
  flush();
  if (!wrote_) {  // every element was an expired field
    active_ = false;
    return;
  }
  if (expireAt_ >= 0) {
    sink_.command(Args{"PEXPIREAT", key_, std::to_string(expireAt_)});
    report_.commands++;
  }
  report_.keys++;
  active_ = false;
}

// ---- the CRDT form ----

void SnapshotLoader::aux(std::string_view key, std::string_view value) {
  if (key != kSnapshotAux) return;
  if (join_) throw DecodeError("two snapshot headers in one file");
  join_.emplace(ks_, value);
}

void SnapshotLoader::beginKey(const RdbKey& k) {
  if (k.kind != RdbKind::Module)
    throw DecodeError(std::string("not a CRDT snapshot: it holds a plain ") + rdbKindName(k.kind) + " (import it instead)");
  key_.assign(k.key.data(), k.key.size());
}

void SnapshotLoader::moduleValue(std::string_view module, uint64_t, const std::vector<ModuleItem>& items) {
  if (module != kCrdtModuleName) throw DecodeError("not a CRDT snapshot: it holds a value of module " + std::string(module));
  if (!join_) throw DecodeError("CRDT values before the snapshot header (aux raa-snapshot)");
  if (items.size() != 1 || items[0].kind != ModuleItem::String) throw DecodeError("CRDT value is not one string");
  const std::string& s = items[0].s;
  ByteReader r(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  KeyDelta d;
  d.decode(r);
  if (!r.done()) r.fail("trailing bytes after a CRDT value");
  if (d.key != key_) throw DecodeError("CRDT value names another key than the one it is stored under");
  join_->key(d);
  HeapPrefaulter::ahead(ks_.find(key_));  // a key just created
  keys_++;
}

void SnapshotLoader::end() {
  if (!join_) throw DecodeError("not a CRDT snapshot: no raa-snapshot aux field");
  join_->finish();
  join_.reset();
}

}  // namespace raa
