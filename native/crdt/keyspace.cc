#include "keyspace.h"

#include <chrono>
#include <cstring>
#include <unordered_set>

#include "commands/table.h"

namespace raa {

namespace {
constexpr char kEffectMagic[4] = {'R', 'A', 'A', 'E'};
constexpr char kSnapshotMagic[4] = {'R', 'A', 'A', 'S'};
constexpr uint8_t kFormatVersion = 2;

bool inList(const std::vector<Dot>& dots, Dot d) {
  for (Dot x : dots)
    if (x == d) return true;
  return false;
}

// Every buffer ends in a checksum of what precedes it, so flipped bits are an error and
// not silently different data.
void seal(std::string& out) {
  uint64_t sum = hash64(out.data(), out.size(), 0x5241414553554d31ull);
  ByteWriter(out).fixed64(sum);
}
void checkSeal(const uint8_t* data, size_t len) {
  if (len < 13) throw DecodeError("buffer too short (" + std::to_string(len) + " bytes) to be an effect batch or snapshot");
  uint64_t want;
  std::memcpy(&want, data + len - 8, 8);
  if (hash64(data, len - 8, 0x5241414553554d31ull) != want)
    throw DecodeError("checksum mismatch: the buffer is corrupt or truncated");
}
}  // namespace

Keyspace::Keyspace(uint16_t instanceId, bool manualClock, int64_t timeMs)
    : instanceId_(instanceId), manualClock_(manualClock), manualTime_(timeMs) {
  rng_ = 0x9e3779b97f4a7c15ull ^ (uint64_t{instanceId} << 32) ^
         static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

static int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Keyspace::nowMs() const {
  if (manualClock_) return manualTime_;
  return batchTime_ ? batchTime_ : wallClockMs();
}

Keyspace::Batch::Batch(Keyspace& ks) : ks_(ks) { ks.batchTime_ = wallClockMs(); }
Keyspace::Batch::~Batch() { ks_.batchTime_ = 0; }

uint64_t Keyspace::random() {
  // splitmix64
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

KeyEntry* Keyspace::findEntry(std::string_view key) {
  if (memo_ && memo_->first == key) return memo_;
  if (missValid_ && missed_ == key) return nullptr;
  KeyEntry* e = keys_.find(key);
  if (!e) {
    missed_.assign(key);
    missValid_ = true;
    return nullptr;
  }
  return memo_ = e;
}

KeyEntry& Keyspace::entryFor(const std::string& key) {
  if (memo_ && memo_->first == key) return *memo_;
  missValid_ = false;
  return *(memo_ = &keys_.findOrAdd(key));
}

KeyState* Keyspace::find(std::string_view key) {
  KeyEntry* e = findEntry(key);
  return e ? &e->second : nullptr;
}

bool Keyspace::isExpired(const KeyState& k) const {
  if (!k.expiry) return false;
  int64_t at = k.expireAt();
  return at != 0 && at <= nowMs();
}

void Keyspace::expireIfNeeded(std::string_view key, KeyState* k, bool anyInstance) {
  if (readOnly_ || !isExpired(*k)) return;
  if (!anyInstance && k->expiryOwner() != instanceId_) return;
  if (deleteKey(key)) stats_.expiredDeleted++;
}

KeyState* Keyspace::lookupRead(std::string_view key) {
  KeyState* k = find(key);
  if (!k || k->visibleType() == Type::None) return nullptr;
  if (!isExpired(*k)) return k;
  expireIfNeeded(key, k, false);
  return nullptr;
}

KeyState* Keyspace::lookupWrite(std::string_view key) {
  KeyState* k = find(key);
  if (!k) return nullptr;
  if (isExpired(*k)) {
    expireIfNeeded(key, k, true);
    k = find(key);
    if (!k) return nullptr;
  }
  return k->visibleType() == Type::None ? nullptr : k;
}

bool Keyspace::deleteKey(std::string_view key) {
  KeyState* k = find(key);
  if (!k) return false;
  bool wasVisible = k->visibleType() != Type::None;
  KeyDelta d;
  d.key = std::string(key);
  coverKey(*k, d, false);
  if (!d.empty()) commit(d);
  return wasVisible;
}

// Examines about `budget` keys with an expiry (whole buckets of volatile_), going on from
// where the last call stopped with a bucket cursor that wraps around, so that every such
// key is looked at in turn however many there are.
size_t Keyspace::activeExpire(size_t budget) {
  if (readOnly_) return 0;
  std::vector<std::string> expired;
  size_t buckets = volatile_.bucket_count(), examined = 0;
  for (size_t visited = 0; visited < buckets && examined < budget; visited++) {
    size_t b = expireCursor_++ % buckets;
    for (auto it = volatile_.begin(b); it != volatile_.end(b); ++it, examined++) {
      KeyEntry* e = keys_.find(*it);
      if (e && isExpired(e->second) && e->second.expiryOwner() == instanceId_) expired.push_back(*it);
    }
  }
  size_t deleted = 0;
  for (const std::string& key : expired)
    if (deleteKey(key)) deleted++, stats_.expiredDeleted++;
  return deleted;
}

// ---- joining deltas ----

template <class Seen, class Covers>
static void joinCellMap(std::unique_ptr<CellMap>& map, const NamedCellDeltas& deltas, const Seen& seen,
                        const Covers& covers, bool full) {
  if (!map) {
    if (deltas.empty()) return;
    map = std::make_unique<CellMap>();
  }
  // A new hash or set written in bulk (an RDB import, a snapshot) is sized once.
  if (map->empty() && deltas.size() > 1) map->reserve(deltas.size());
  auto joinOne = [&](Cell& c, const CellDelta& cd) {
    bool was = c.visible();
    c.join(cd, seen, covers);
    map->live += static_cast<int>(c.visible()) - static_cast<int>(was);
    return c.isEmpty();
  };
  for (const auto& [name, cd] : deltas) {
    CellMap::Field* f = map->find(name);
    if (!f) {
      if (cd.add.empty() && cd.counters.empty()) continue;  // nothing of ours to remove
      f = &map->add(name);
    }
    if (joinOne(f->cell, cd)) map->erase(f);
  }
  if (full) {
    // A full state (snapshot) also reaches our cells it does not name: what its sender had
    // seen of them is gone.
    std::unordered_set<std::string_view> named;
    for (const auto& [name, cd] : deltas) named.insert(name);
    const CellDelta none;
    map->eraseIf([&](CellMap::Field& f) { return !named.count(f.name.view()) && joinOne(f.cell, none); });
  }
  if (map->empty()) map.reset();
}

// Zset members also keep the (score, member) order in step with their visible score
// (ZSetVal::change). A full state (snapshot) also reaches our members it does not name.
template <class Seen, class Covers>
static void joinZSet(std::unique_ptr<ZSetVal>& z, const NamedCellDeltas& deltas, const Seen& seen,
                     const Covers& covers, bool full) {
  if (!z) {
    if (deltas.empty()) return;
    z = std::make_unique<ZSetVal>();
  }
  if (z->empty() && deltas.size() > 1) z->reserve(deltas.size());
  for (const auto& [name, delta] : deltas) {
    const CellDelta& cd = delta;  // a lambda cannot capture a structured binding in C++17
    // A member we do not hold gets a cell only when the delta writes to it.
    bool create = !cd.add.empty() || !cd.counters.empty();
    z->change(name, create, [&](Cell& c) { c.join(cd, seen, covers); });
  }
  if (full) {
    std::unordered_set<std::string_view> named;
    for (const auto& [name, cd] : deltas) named.insert(name);
    const CellDelta none;
    // An erase moves the last member into index i, which is visited next.
    for (uint32_t i = 0; i < z->members().size();) {
      bool erased = !named.count(z->member(i).name.view()) &&
                    z->changeAt(i, [&](Cell& c) { c.join(none, seen, covers); });
      if (!erased) i++;
    }
  }
  if (z->empty()) z.reset();
}

// A delta's removals and additions reach elements by position. An element both added and
// covered by one delta (LMOVE within a list re-creating it) is kept: the addition is newer.
template <class Seen, class Covers>
static void joinList(std::unique_ptr<ListVal>& l, const ListDelta* d, const Seen& seen, const Covers& covers,
                     bool full) {
  static const CellDelta none;
  if (!l) {
    if (!d || d->add.empty()) return;
    l = std::make_unique<ListVal>();
  }
  ListSeq& elems = l->elems;
  std::unordered_set<Dot> added;
  if (d && (full || !d->covered.empty()))
    for (const ListRec& r : d->add) added.insert(r.pos.cdot);
  auto inAdd = [&](Dot cdot) { return added.count(cdot) > 0; };
  if (full) {
    elems.eraseIf([&](const ListItem& it) { return covers(none, it.pos.cdot) && !inAdd(it.pos.cdot); });
  } else if (d) {
    for (const ListPos& pos : d->covered)
      if (!inAdd(pos.cdot)) elems.erase(pos);
  }
  if (d) {
    for (const ListRec& r : d->add) {
      ListSeq::Place at = elems.locate(r.pos);
      if (at.found) {
        ListElemRef mine = elems.elemAt(at);
        if (stampWins(r.elem.hlc, r.elem.writer, mine.hlc, mine.writer)) elems.replaceAt(at, r.pos, r.elem);
      } else if (!seen(r.pos.cdot)) {
        elems.insertAt(at, r.pos, r.elem);
      }
    }
  }
  if (elems.empty()) l.reset();
}

template <class Seen, class Covers>
static void joinOptionalCell(std::unique_ptr<Cell>& c, const CellDelta* d, const Seen& seen, const Covers& covers,
                             bool full) {
  static const CellDelta none;
  if (!c) {
    if (!d || (d->add.empty() && d->counters.empty())) return;
    c = std::make_unique<Cell>();
  }
  if (d) c->join(*d, seen, covers);
  else if (full) c->join(none, seen, covers);
  if (c->isEmpty()) c.reset();
}

template <class Seen, class Covers>
void Keyspace::joinKey(KeyState& k, const KeyDelta& d, const Seen& seen, const Covers& covers, bool full) {
  static const CellDelta none;
  if (d.str) k.str.join(*d.str, seen, covers);
  else if (full) k.str.join(none, seen, covers);
  joinOptionalCell(k.expiry, d.expiry.get(), seen, covers, full);
  if (full || !d.hash.empty()) joinCellMap(k.hash, d.hash, seen, covers, full);
  if (full || !d.set.empty()) joinCellMap(k.set, d.set, seen, covers, full);
  if (full || !d.zset.empty()) joinZSet(k.zset, d.zset, seen, covers, full);
  if (full || d.list) joinList(k.list, d.list.get(), seen, covers, full);
}

void Keyspace::afterJoin(KeyEntry& e, bool wasVisible) {
  KeyState& k = e.second;
  bool nowVisible = k.visibleType() != Type::None;
  visibleKeys_ += static_cast<int>(nowVisible) - static_cast<int>(wasVisible);
  if (k.expiry) volatile_.insert(e.first.str());
  else if (!volatile_.empty()) volatile_.erase(e.first.str());
  if (k.isEmpty()) {
    if (memo_ == &e) memo_ = nullptr;
    keys_.erase(&e);
  }
}

void Keyspace::joinDelta(const KeyDelta& d) {
  KeyEntry& e = entryFor(d.key);
  bool wasVisible = e.second.visibleType() != Type::None;
  auto seen = [this](Dot dot) { return ctx_.contains(dot); };
  auto covers = [](const CellDelta& cd, Dot dot) { return inList(cd.covered, dot); };
  joinKey(e.second, d, seen, covers, false);
  watched_.touch(d.key);
  d.forEachDot([this](Dot dot) { ctx_.add(dot); });
  if (d.resetDot) residues_.insert(d.key);
  afterJoin(e, wasVisible);
}

// A snapshot's key replaces what we know of the key by the sender's full state: whatever
// of it the sender had seen and does not hold was removed.
void Keyspace::joinSnapshotKey(const KeyDelta& d, const CausalContext& remote) {
  auto seen = [this](Dot dot) { return ctx_.contains(dot); };
  auto covers = [&remote](const CellDelta&, Dot dot) { return remote.contains(dot); };
  KeyEntry& e = entryFor(d.key);
  bool wasVisible = e.second.visibleType() != Type::None;
  joinKey(e.second, d, seen, covers, true);
  watched_.touch(d.key);
  if (d.hasCounters()) residues_.insert(d.key);  // tombstones to collect, once their resets are stable
  afterJoin(e, wasVisible);
}

// Our keys a snapshot does not hold: whatever of them the sender had seen was removed.
template <class Named>
void Keyspace::joinSnapshotAbsent(const Named& named, const CausalContext& remote) {
  auto seen = [this](Dot dot) { return ctx_.contains(dot); };
  auto covers = [&remote](const CellDelta&, Dot dot) { return remote.contains(dot); };
  const KeyDelta none;
  std::vector<KeyEntry*> unnamed;
  keys_.forEach([&](KeyEntry& e) {
    if (!named(e.first.view())) unnamed.push_back(&e);
  });
  for (KeyEntry* e : unnamed) {
    bool wasVisible = e->second.visibleType() != Type::None;
    joinKey(e->second, none, seen, covers, true);
    watched_.touch(e->first.view());
    afterJoin(*e, wasVisible);
  }
}

void Keyspace::joinSnapshot(std::vector<KeyDelta>& remoteKeys, const CausalContext& remote) {
  std::unordered_set<std::string_view> named;
  for (const KeyDelta& d : remoteKeys) named.insert(d.key);
  joinSnapshotAbsent([&](std::string_view k) { return named.count(k) != 0; }, remote);
  for (const KeyDelta& d : remoteKeys) joinSnapshotKey(d, remote);
  ctx_.merge(remote);
}

void Keyspace::prefetch(const std::string_view* keys, const std::string_view* members, size_t n) const {
  constexpr size_t kMax = 64;
  n = std::min(n, kMax);
  uint32_t tags[kMax];
  for (size_t i = 0; i < n; i++) keys_.prefetchSlot(tags[i] = KeyTable::tagOf(keys[i]));
  for (size_t i = 0; i < n; i++) keys_.prefetchEntry(tags[i]);
  for (size_t i = 0; i < n; i++) keys_.prefetchHeld(tags[i]);
  // The field or member maps: many requests of a pipeline often name the same big hash or set.
  const CellMap* maps[kMax];
  uint32_t memberTags[kMax];
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const KeyEntry* e = members[i].empty() ? nullptr : keys_.find(keys[i], tags[i]);
    maps[i] = !e                ? nullptr
              : e->second.hash ? e->second.hash.get()
              : e->second.zset ? &e->second.zset->members()
                               : e->second.set.get();
    if (maps[i]) maps[i]->prefetchSlot(memberTags[i] = CellMap::tagOf(members[i])), m++;
  }
  if (m == 0) return;
  for (size_t i = 0; i < n; i++)
    if (maps[i]) maps[i]->prefetchField(memberTags[i]);
  for (size_t i = 0; i < n; i++)
    if (maps[i]) maps[i]->prefetchName(memberTags[i]);
}

bool Keyspace::watchedKeyChanged(std::string_view key, uint64_t since) {
  if (watched_.changedSince(key, since)) return true;
  const KeyState* k = find(key);
  return k && k->visibleType() != Type::None && isExpired(*k);
}

KeyDelta& Keyspace::stringWrite(std::string_view key) {
  emptyStringWrite();  // in case a write threw before its commit
  stringWrite_.key.assign(key);
  stringWrite_.strPart();
  return stringWrite_;
}

// Frees the values and any parts of other types (a SET over a big hash covers every field);
// keeps the key's buffer and the string part's vectors.
void Keyspace::emptyStringWrite() {
  KeyDelta& d = stringWrite_;
  d.resetDot = 0;
  if (d.str) {
    d.str->add.clear();
    d.str->covered.clear();
    d.str->counters.clear();
  }
  d.expiry.reset();
  d.hash = NamedCellDeltas();
  d.set = NamedCellDeltas();
  d.zset = NamedCellDeltas();
  d.list.reset();
}

void Keyspace::commit(KeyDelta& d) {
  // A local write to a key that shows type T also removes what a concurrent creation left
  // of other types under it, so that those leftovers never resurface (when T's part
  // empties) nor take the key over (when T's newest entry goes).
  if (KeyState* k = find(d.key)) {
    Type t = k->visibleType();
    if (t != Type::None && d.onlyType(t) && k->hasOtherTypes(t)) coverKey(*k, d, true, t);
  }
  d.forEachCounter([&](Counter& c) {
    if (c.bdot != kPendingResetDot) return;
    if (!d.resetDot) d.resetDot = nextDot();
    c.bdot = d.resetDot;
  });
  joinDelta(d);
  if (recordEffects_) {
    ByteWriter w(pending_);
    d.encode(w);
    pendingCount_++;
  }
  stats_.effectsEmitted++;
  // A write that emptied a container deleted the key, as in Redis: its TTL goes too.
  KeyState* k = find(d.key);
  if (k && k->expiry && k->visibleType() == Type::None) {
    KeyDelta e;
    e.key = d.key;
    k->expiry->coverAll(e.expiryPart());
    commit(e);
  }
  if (&d == &stringWrite_) emptyStringWrite();
}

// ---- effect batches ----
// Layout: magic "RAAE", version, origin, origin's HLC, its vector clock, record count,
// key deltas, checksum.

static void encodeContext(ByteWriter& w, const CausalContext& ctx, bool withCloud) {
  w.varint(ctx.origins().size());
  for (const auto& o : ctx.origins()) {
    w.varint(o.id);
    w.varint(o.contiguous);
    if (!withCloud) continue;
    w.varint(o.cloud.size());
    for (uint64_t s : o.cloud) w.varint(s);
  }
}

static CausalContext decodeContext(ByteReader& r, bool withCloud) {
  CausalContext ctx;
  uint64_t n = r.count(2);
  for (uint64_t i = 0; i < n; i++) {
    CausalContext::Origin o;
    uint64_t id = r.varint();
    if (id == 0 || id > 0xffff) r.fail("bad instance id in causal context");
    o.id = static_cast<uint16_t>(id);
    o.contiguous = r.varint();
    if (o.contiguous > kSeqMask) r.fail("sequence out of range in causal context");
    if (withCloud) {
      uint64_t m = r.count(1);
      for (uint64_t j = 0; j < m; j++) {
        uint64_t s = r.varint();
        if (s <= o.contiguous + 1 || s > kSeqMask) r.fail("bad sequence in causal context cloud");
        o.cloud.insert(s);
      }
    }
    ctx.restoreOrigin(std::move(o));
  }
  return ctx;
}

std::string Keyspace::drainEffects() {
  std::string out;
  drainEffects(out);
  return out;
}

void Keyspace::drainEffects(std::string& out) {
  out.clear();
  if (pendingCount_ == 0) return;
  out.reserve(pending_.size() + 64);
  ByteWriter w(out);
  w.raw(std::string_view(kEffectMagic, 4));
  w.u8(kFormatVersion);
  w.varint(instanceId_);
  w.varint(clock_.last());
  encodeContext(w, ctx_, false);
  w.varint(pendingCount_);
  w.raw(pending_);
  seal(out);
  pending_.clear();
  pendingCount_ = 0;
}

void Keyspace::applyEffects(const uint8_t* data, size_t len) {
  if (len == 0) return;  // what drainEffects() returns when there was nothing to send
  checkSeal(data, len);
  ByteReader r(data, len - 8);
  std::string_view magic = r.raw(4);
  bool isSnapshot = magic == std::string_view(kSnapshotMagic, 4);
  if (!isSnapshot && magic != std::string_view(kEffectMagic, 4)) r.fail("not an effect batch or snapshot (bad magic)");
  uint8_t version = r.u8();
  if (version != kFormatVersion) r.fail("unsupported format version " + std::to_string(version));
  uint64_t origin = r.varint();
  if (origin == 0 || origin > 0xffff) r.fail("bad instance id");
  uint64_t remoteHlc = r.varint();
  CausalContext remoteCtx = decodeContext(r, isSnapshot);
  uint64_t n = r.count(2);
  // Decode everything before changing anything: bad input leaves the keyspace as it was.
  std::vector<KeyDelta> deltas(n);
  for (KeyDelta& d : deltas) d.decode(r);
  if (!r.done()) r.fail("trailing bytes after the last record");

  clock_.observe(remoteHlc);
  notePeerContext(static_cast<uint16_t>(origin), remoteCtx);
  if (isSnapshot) {
    joinSnapshot(deltas, remoteCtx);
    stats_.snapshotsApplied++;
  } else {
    // Keys of a batch are scattered over the table: each join would wait on memory. Ask for
    // the slot of the key some deltas ahead, then (once it has arrived) for its entry, then
    // for what the entry holds out of line.
    constexpr size_t kAhead = 18;
    std::vector<uint32_t> tags(deltas.size());
    for (size_t i = 0; i < deltas.size(); i++) tags[i] = KeyTable::tagOf(deltas[i].key);
    for (size_t i = 0; i < deltas.size(); i++) {
      if (i + kAhead < deltas.size()) keys_.prefetchSlot(tags[i + kAhead]);
      if (i + kAhead * 2 / 3 < deltas.size()) keys_.prefetchEntry(tags[i + kAhead * 2 / 3]);
      if (i + kAhead / 3 < deltas.size()) keys_.prefetchHeld(tags[i + kAhead / 3]);
      joinDelta(deltas[i]);
    }
    stats_.effectsApplied += n;
    stats_.batchesApplied++;
  }
  afterRemoteJoin();
}

void Keyspace::afterRemoteJoin() {
  // A peer may hold writes of ours that we lost (we restarted from an older snapshot):
  // never reuse their dots.
  uint64_t mine = ctx_.maxSeq(instanceId_);
  if (mine > seq_) seq_ = mine;
  if (!residues_.empty()) collectGarbage();
}

void Keyspace::notePeerContext(uint16_t origin, const CausalContext& seen) {
  if (origin == instanceId_) return;
  peerSeen_[origin].merge(seen);
}

// A reset is stable when every instance we know of has seen it, and we hold everything
// each of them had written by the time it told us so: no increment made without knowledge
// of the reset can still be on its way.
bool Keyspace::resetIsStable(Dot resetDot) const {
  for (const auto& o : ctx_.origins()) {
    if (o.id == instanceId_) continue;
    auto peer = peerSeen_.find(o.id);
    if (peer == peerSeen_.end() || !peer->second.contains(resetDot)) return false;
    if (o.contiguous < peer->second.maxSeq(o.id)) return false;
  }
  return true;
}

size_t Keyspace::collectGarbage() {
  size_t dropped = 0;
  auto collect = [&](Cell& c) {
    if (c.visible() || !c.counters) return;
    for (const Counter& k : c.counters->byOrigin)
      if (!k.coveredByReset() || !resetIsStable(k.bdot)) return;
    c.counters.reset();
    dropped++;
  };
  std::vector<std::string> names(residues_.begin(), residues_.end());
  for (const std::string& name : names) {
    KeyEntry* it = keys_.find(name);
    if (!it) {
      residues_.erase(name);
      continue;
    }
    KeyState& k = it->second;
    bool wasVisible = k.visibleType() != Type::None;
    bool left = false;
    collect(k.str);
    left |= !k.str.visible() && k.str.counters;
    if (k.hash) {
      k.hash->eraseIf([&](CellMap::Field& f) {
        collect(f.cell);
        left |= !f.cell.visible() && f.cell.counters;
        return f.cell.isEmpty();
      });
      if (k.hash->empty()) k.hash.reset();
    }
    if (k.zset) {
      for (uint32_t i = 0; i < k.zset->members().size();) {
        bool erased = k.zset->changeAt(i, [&](Cell& c) {
          collect(c);
          left |= !c.visible() && c.counters;
        });
        if (!erased) i++;
      }
      if (k.zset->empty()) k.zset.reset();
    }
    if (!left) residues_.erase(name);
    afterJoin(*it, wasVisible);
  }
  stats_.tombstonesCollected += dropped;
  return dropped;
}

// ---- snapshots ----
// Layout: magic "RAAS", version, instance id, HLC, full causal context, key count, full key
// states (as deltas), checksum.

void Keyspace::writeSnapshotHeader(ByteWriter& w) const {
  w.raw(std::string_view(kSnapshotMagic, 4));
  w.u8(kFormatVersion);
  w.varint(instanceId_);
  w.varint(clock_.last());
  encodeContext(w, ctx_, true);
}

std::string Keyspace::snapshot() const {
  std::string out;
  ByteWriter w(out);
  writeSnapshotHeader(w);
  w.varint(keys_.size());
  keys_.forEach([&](const KeyEntry& e) {
    KeyDelta d;
    d.key = e.first.str();
    keyToDelta(e.second, d);
    d.encode(w);
  });
  seal(out);
  return out;
}

std::string Keyspace::snapshotHeader() const {
  std::string out;
  ByteWriter w(out);
  writeSnapshotHeader(w);
  return out;
}

Keyspace::SnapshotJoin::SnapshotJoin(Keyspace& ks, std::string_view header) : ks_(ks), trackNames_(ks.storedKeys() > 0) {
  ByteReader r(reinterpret_cast<const uint8_t*>(header.data()), header.size());
  if (r.left() < 4 || r.raw(4) != std::string_view(kSnapshotMagic, 4)) r.fail("not a snapshot header (bad magic)");
  uint8_t version = r.u8();
  if (version != kFormatVersion) r.fail("unsupported format version " + std::to_string(version));
  uint64_t origin = r.varint();
  if (origin == 0 || origin > 0xffff) r.fail("bad instance id");
  uint64_t hlc = r.varint();
  remote_ = decodeContext(r, true);
  if (!r.done()) r.fail("trailing bytes after the snapshot header");
  origin_ = static_cast<uint16_t>(origin);
  ks_.clock_.observe(hlc);
  ks_.notePeerContext(origin_, remote_);
}

void Keyspace::SnapshotJoin::key(const KeyDelta& d) {
  if (trackNames_) named_.insert(d.key);
  ks_.joinSnapshotKey(d, remote_);
}

void Keyspace::SnapshotJoin::finish() {
  if (trackNames_) ks_.joinSnapshotAbsent([this](std::string_view k) { return named_.count(std::string(k)) != 0; }, remote_);
  ks_.ctx_.merge(remote_);
  ks_.stats_.snapshotsApplied++;
  ks_.afterRemoteJoin();
}

std::unique_ptr<Keyspace> Keyspace::fromSnapshot(const uint8_t* data, size_t len, uint16_t instanceId,
                                                 bool manualClock, int64_t timeMs) {
  if (len < 4 || std::memcmp(data, kSnapshotMagic, 4) != 0) throw DecodeError("not a snapshot (bad magic)");
  auto ks = std::make_unique<Keyspace>(instanceId, manualClock, timeMs);
  ks->applyEffects(data, len);
  return ks;
}

// Only the keys in residues_ can hold tombstones: stats() stays cheap on a large keyspace.
size_t Keyspace::counterTombstones() const {
  size_t n = 0;
  auto count = [&n](const Cell& c) { n += !c.visible() && c.counters; };
  for (const std::string& name : residues_) {
    const KeyEntry* e = keys_.find(name);
    if (!e) continue;
    const KeyState& k = e->second;
    count(k.str);
    if (k.hash)
      for (const auto& [f, c] : *k.hash) count(c);
    if (k.zset)
      for (const auto& [m, c] : k.zset->members()) count(c);
  }
  return n;
}

// An estimate from the data structures' sizes, each heap block rounded as glibc's malloc
// rounds it (8 bytes of header, 16-byte steps). bench/memory.ts compares it with the RSS.
static size_t chunk(size_t bytes) { return bytes ? (bytes + 8 + 15) & ~size_t{15} : 0; }
// A hash's, set's or zset's member map: its two arrays and what each cell holds.
static size_t cellMapBytes(const CellMap& m) {
  size_t n = chunk(m.fieldBytes()) + chunk(m.slotBytes());
  for (const auto& [f, c] : m) n += chunk(f.heapBytes()) + c.memoryUsage();
  return n;
}

size_t Keyspace::memoryUsage() const {
  size_t n = sizeof(*this) + keys_.memoryUsage();
  for (const auto& [name, k] : keys_) {
    n += chunk(sizeof(KeyEntry)) + chunk(name.heapBytes()) + k.str.memoryUsage();
    if (k.expiry) n += chunk(sizeof(Cell)) + k.expiry->memoryUsage();
    if (k.hash) n += chunk(sizeof(CellMap)) + cellMapBytes(*k.hash);
    if (k.set) n += chunk(sizeof(CellMap)) + cellMapBytes(*k.set);
    // malloc's rounding of the order's nodes (a few bytes per node) is left out.
    if (k.zset) n += chunk(sizeof(ZSetVal)) + cellMapBytes(k.zset->members()) + k.zset->order().nodeBytes();
    if (k.list) n += chunk(sizeof(ListVal)) + k.list->elems.chunkBytes();  // values are in the chunks
  }
  return n;
}

bool Keyspace::randomKey(std::string& out) {
  if (visibleKeys_ == 0) return false;
  // Sample slots until a visible, unexpired key turns up (as Redis samples its dict), then
  // fall back to a walk when nearly everything is a tombstone or expired.
  auto rng = [this] { return random(); };
  for (int tries = 0; tries < 100; tries++) {
    KeyEntry* e = keys_.random(rng);
    if (e && e->second.visibleType() != Type::None && !isExpired(e->second)) {
      out = e->first.str();
      return true;
    }
  }
  bool found = false;
  keys_.forEach([&](const KeyEntry& e) {
    if (!found && e.second.visibleType() != Type::None && !isExpired(e.second)) {
      out = e.first.str();
      found = true;
    }
  });
  return found;
}

void Keyspace::exec(const Args& argv, Reply& out) { exec(argv.empty() ? nullptr : findCommand(argv[0]), argv, out); }

void Keyspace::exec(const CommandSpec* spec, const Args& argv, Reply& out) {
  stats_.commands++;
  if (readOnly_ && spec && writeCommands_.count(spec)) {
    out.error("READONLY You can't write against a read only replica.");
    return;
  }
  dispatchCommand(*this, spec, argv, out);
}

}  // namespace raa
