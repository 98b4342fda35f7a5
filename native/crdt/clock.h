// Clocks of the CRDT keyspace.
//
// A dot names one write: the instance that made it and that instance's sequence number.
// It is packed in 64 bits (16 bits of instance id, 48 bits of sequence) because every
// entry of every value carries one.
//
// The hybrid logical clock orders last-writer-wins conflicts. Its value is the wall clock
// in ms shifted left by 16 bits plus a logical counter: it never goes backwards, it moves
// past every stamp received from a peer, and so a write that has seen another is always
// stamped after it whatever the wall clocks say.
//
// The causal context is the set of dots an instance has seen: per instance the highest
// contiguous sequence (the vector clock) and the sequences seen above a gap (the "cloud",
// empty once deliveries catch up). A dot in the context that is not in the store was
// removed, and stays removed: this is what replaces per-element tombstones.
#pragma once
#include <cstdint>
#include <functional>
#include <set>
#include <vector>

namespace raa {

using Dot = uint64_t;
constexpr int kSeqBits = 48;
constexpr uint64_t kSeqMask = (uint64_t{1} << kSeqBits) - 1;
inline Dot makeDot(uint16_t origin, uint64_t seq) { return (uint64_t{origin} << kSeqBits) | (seq & kSeqMask); }
inline uint16_t dotOrigin(Dot d) { return static_cast<uint16_t>(d >> kSeqBits); }
inline uint64_t dotSeq(Dot d) { return d & kSeqMask; }

// Last-writer-wins order of two stamps: higher hlc wins; on an exact tie the lower
// instance id wins (the rule of the established Active-Active Redis).
inline bool stampWins(uint64_t hlc_a, uint16_t origin_a, uint64_t hlc_b, uint16_t origin_b) {
  if (hlc_a != hlc_b) return hlc_a > hlc_b;
  return origin_a < origin_b;
}

class HybridClock {
 public:
  // now_ms: wall clock reading. Returns a stamp greater than every stamp seen so far.
  uint64_t tick(uint64_t now_ms) {
    uint64_t wall = now_ms << 16;
    last_ = wall > last_ ? wall : last_ + 1;
    return last_;
  }
  void observe(uint64_t remote) {
    if (remote > last_) last_ = remote;
  }
  uint64_t last() const { return last_; }

 private:
  uint64_t last_ = 0;
};

class CausalContext {
 public:
  struct Origin {
    uint16_t id;
    uint64_t contiguous;      // every seq in 1..contiguous was seen
    std::set<uint64_t> cloud;  // seqs seen above a gap
  };

  bool contains(Dot d) const {
    const Origin* o = find(dotOrigin(d));
    if (!o) return false;
    uint64_t s = dotSeq(d);
    return s <= o->contiguous || (!o->cloud.empty() && o->cloud.count(s));
  }
  void add(Dot d);
  // Highest sequence seen of an instance (contiguous or not): where its own numbering resumes.
  uint64_t maxSeq(uint16_t id) const;
  size_t cloudSize() const;
  const std::vector<Origin>& origins() const { return origins_; }
  void merge(const CausalContext& other);
  void restoreOrigin(Origin o);

 private:
  const Origin* find(uint16_t id) const {
    for (const Origin& o : origins_)
      if (o.id == id) return &o;
    return nullptr;
  }
  Origin& findOrAdd(uint16_t id);
  std::vector<Origin> origins_;  // few instances: a linear scan beats hashing
};

}  // namespace raa
