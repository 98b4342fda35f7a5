// The keyspace: one instance's CRDT data and the command executor over it.
//
// Every write is built as a delta (KeyDelta) from the current state, joined into the local
// state by the same code that joins a peer's deltas, and appended to the pending effects.
// So what a peer applies is exactly what the local write did, and a local write is no
// different from a remote one once it is in.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bytes.h"
#include "clock.h"
#include "key.h"
#include "key_table.h"
#include "reply.h"
#include "watched_keys.h"

namespace raa {

using Args = std::vector<std::string_view>;
struct CommandSpec;


struct KeyspaceStats {
  uint64_t effectsApplied = 0;   // key deltas joined from peers
  uint64_t effectsEmitted = 0;   // key deltas made by local writes
  uint64_t batchesApplied = 0;
  uint64_t snapshotsApplied = 0;
  uint64_t expiredDeleted = 0;   // keys this instance deleted because their TTL passed
  uint64_t tombstonesCollected = 0;  // fully reset counters dropped once every instance saw the reset
  uint64_t commands = 0;
};

class Keyspace {
 public:
  Keyspace(uint16_t instanceId, bool manualClock, int64_t timeMs);

  // --- embedded API ---
  void exec(const Args& argv, Reply& out);
  // The same with the command already looked up (findCommand), as the RESP path does.
  void exec(const CommandSpec* spec, const Args& argv, Reply& out);
  std::string drainEffects();
  // The same into a buffer the caller reuses: no large allocation and free per drain.
  void drainEffects(std::string& out);
  // Whether local writes are encoded as effects (on by default). An owner with nobody to
  // send them to (a server without replicas or peers) turns it off rather than encode every
  // write and drop it. Turned on again, it records the writes from then on; whoever consumes
  // them starts from a snapshot taken after that.
  void recordEffects(bool on) { recordEffects_ = on; }
  // Merges an effect batch or a snapshot; throws DecodeError and changes nothing on bad input.
  void applyEffects(const uint8_t* data, size_t len);
  std::string snapshot() const;
  static std::unique_ptr<Keyspace> fromSnapshot(const uint8_t* data, size_t len, uint16_t instanceId, bool manualClock,
                                                int64_t timeMs);
  std::string digest() const;

  // --- snapshots key by key (RDB full syncs) ---
  // snapshot() without its keys and checksum: what a receiver needs before the first key.
  std::string snapshotHeader() const;
  // Each key as snapshot() holds it: its full state as a delta, and the state itself.
  template <class F>
  void forEachKeyState(const F& f) const {
    keys_.forEach([&](const KeyEntry& e) {
      KeyDelta d;
      d.key = e.first.str();
      keyToDelta(e.second, d);
      f(d, e.second);
    });
  }
  // applyEffects(snapshot) with the snapshot arriving piece by piece: the header, each key,
  // then finish(). Keys are joined as they come; nothing but their names is kept.
  class SnapshotJoin {
   public:
    SnapshotJoin(Keyspace& ks, std::string_view header);  // throws DecodeError
    void key(const KeyDelta& d);
    void finish();

   private:
    Keyspace& ks_;
    uint16_t origin_ = 0;
    CausalContext remote_;
    bool trackNames_;  // only a keyspace that held keys needs to know which ones the snapshot named
    std::unordered_set<std::string> named_;
  };
  void setTime(int64_t ms) { manualTime_ = ms; }
  // Deletes up to `budget` keys whose winning expiry this instance wrote and that have expired.
  size_t activeExpire(size_t budget);
  // Drops counter tombstones whose reset every known instance has seen; returns how many.
  size_t collectGarbage();

  // A read-only replica shard: client writes (the commands given to setWriteCommands) are
  // refused, and an expired key is only hidden, never deleted here: its master deletes it
  // and the delete arrives in the replication stream. A replica that deleted it itself would
  // spend a dot of the master's instance id that the master also spends.
  void setReadOnly(bool on) { readOnly_ = on; }
  bool readOnly() const { return readOnly_; }
  void setWriteCommands(std::unordered_set<const CommandSpec*> writes) { writeCommands_ = std::move(writes); }
  // While writes are paused (FAILOVER, CLIENT PAUSE WRITE), the RESP path hands a write
  // back to the server instead of running it: the server holds the client until the pause ends.
  void setWritesPaused(bool on) { writesPaused_ = on; }
  bool handsOver(const CommandSpec* spec) const { return writesPaused_ && writeCommands_.count(spec) != 0; }

  WatchedKeys& watched() { return watched_; }
  // WATCH's test at EXEC: whether the key changed after `since`, or its TTL has passed.
  bool watchedKeyChanged(std::string_view key, uint64_t since);
  uint16_t instanceId() const { return instanceId_; }
  const KeyspaceStats& stats() const { return stats_; }
  const CausalContext& context() const { return ctx_; }
  size_t keyCount() const { return visibleKeys_; }
  size_t storedKeys() const { return keys_.size(); }
  size_t volatileKeys() const { return volatile_.size(); }  // keys with an expiry part
  size_t counterTombstones() const;
  size_t memoryUsage() const;

  // While one lives, the wall clock is read once for the whole batch of commands (Redis
  // too reads it per command or per event-loop turn, not per key): a read costs a system
  // call on some virtual machines. Hybrid clock ticks stay unique within the batch.
  class Batch {
   public:
    explicit Batch(Keyspace& ks);
    ~Batch();
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

   private:
    Keyspace& ks_;
  };

  // --- for command implementations ---
  int64_t nowMs() const;
  Dot nextDot() { return makeDot(instanceId_, ++seq_); }
  uint64_t tick() { return clock_.tick(static_cast<uint64_t>(nowMs())); }
  // The key's state whether visible or not (null when absent).
  KeyState* find(std::string_view key);
  // The key when visible and not expired. An expired key found by the instance that owns
  // its expiry is deleted here (and the delete replicated).
  KeyState* lookupRead(std::string_view key);
  // The key when visible and not expired; an expired key is deleted first, by any instance.
  KeyState* lookupWrite(std::string_view key);
  // The delta for a string write (SET and the like) to `key`, its string part there to
  // write into. Always the same one, emptied, so that such a write allocates nothing for its
  // delta; commit() empties it again (so it holds no value meanwhile).
  KeyDelta& stringWrite(std::string_view key);
  // Join a local write and queue it for the peers.
  void commit(KeyDelta& d);
  // Observed-remove of everything the key holds; returns whether it was visible.
  bool deleteKey(std::string_view key);
  bool isExpired(const KeyState& k) const;
  // Cache hints for a batch of requests about to run: the keys, and where given (non-empty)
  // the hash field or set member each request looks up first, in stages so that the
  // misses of all of them overlap (see KeyTable and CellMap).
  void prefetch(const std::string_view* keys, const std::string_view* members, size_t n) const;
  KeyTable& keys() { return keys_; }
  const KeyTable& keys() const { return keys_; }
  // A random visible key (for RANDOMKEY), or false.
  bool randomKey(std::string& out);
  uint64_t random();

 private:
  template <class Seen, class Covers>
  void joinKey(KeyState& k, const KeyDelta& d, const Seen& seen, const Covers& covers, bool full);
  void joinDelta(const KeyDelta& d);
  void joinSnapshot(std::vector<KeyDelta>& keys, const CausalContext& remote);
  void joinSnapshotKey(const KeyDelta& d, const CausalContext& remote);
  template <class Named>
  void joinSnapshotAbsent(const Named& named, const CausalContext& remote);
  void writeSnapshotHeader(ByteWriter& w) const;
  void afterRemoteJoin();
  // The key's entry, or null; remembers the last one found, since a command looks up its key
  // several times (read, write, join).
  KeyEntry* findEntry(std::string_view key);
  KeyEntry& entryFor(const std::string& key);
  void afterJoin(KeyEntry& e, bool wasVisible);
  bool resetIsStable(Dot resetDot) const;
  void notePeerContext(uint16_t origin, const CausalContext& seen);
  void expireIfNeeded(std::string_view key, KeyState* k, bool anyInstance);
  void emptyStringWrite();

  uint16_t instanceId_;
  bool manualClock_;
  bool readOnly_ = false;
  bool writesPaused_ = false;
  std::unordered_set<const CommandSpec*> writeCommands_;
  int64_t manualTime_;
  int64_t batchTime_ = 0;  // the wall clock read by the running Batch, 0 outside one
  uint64_t seq_ = 0;
  HybridClock clock_;
  CausalContext ctx_;
  KeyTable keys_;
  KeyEntry* memo_ = nullptr;  // the last key found (never a dangling one: cleared on erase)
  std::string missed_;        // the last key not found (valid while missValid_: no insert since)
  bool missValid_ = false;
  std::unordered_set<std::string> volatile_;  // keys with an expiry part
  size_t expireCursor_ = 0;                   // the volatile_ bucket activeExpire() looks at next
  std::unordered_set<std::string> residues_;  // keys that may hold counter tombstones
  // What each peer had seen when it last sent us something (from batch headers): the
  // knowledge that tells when a reset has reached every instance.
  std::unordered_map<uint16_t, CausalContext> peerSeen_;
  size_t visibleKeys_ = 0;
  KeyDelta stringWrite_;  // see stringWrite()
  bool recordEffects_ = true;
  std::string pending_;  // encoded key deltas not yet drained
  uint64_t pendingCount_ = 0;
  uint64_t rng_;
  KeyspaceStats stats_;
  WatchedKeys watched_;
};

}  // namespace raa
