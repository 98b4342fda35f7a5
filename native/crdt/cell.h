// A cell is the CRDT behind one value that can be written, incremented and removed: a
// string key's value, a hash field, a sorted-set member (its score), a set member, and a
// key's expiry.
//
// entries: the writes that are still current, each with its dot and HLC stamp. A write
//   replaces the entries it had seen; concurrent writes leave several entries, and the
//   visible value is the one with the winning stamp (last writer wins). An entry may carry
//   no value (kPresenceOnly): it only says "the cell exists", which is how INCR or ZINCRBY
//   make a cell exist without touching the value a concurrent SET wrote.
// counters: per instance, its running total of increments (int and float parts) and the
//   total that the latest reset had observed. The visible count is the sum over instances
//   of total minus observed, so a reset (SET, DEL) removes exactly the increments it had
//   seen ("observed reset") and concurrent increments survive. An instance starts a new
//   incarnation of its total once a reset has covered all of it, so stale totals never
//   mix with new ones.
//
// A cell is visible while it has entries. A cell with no entries but counters left is a
// tombstone: it keeps the counts that resets observed, until no delayed increment can be
// in flight any more.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.h"
#include "clock.h"
#include "small_string.h"

namespace raa {

constexpr uint64_t kPresenceOnly = uint64_t{1} << 63;  // flag bit in Entry::hlc
constexpr Dot kPendingResetDot = ~Dot{0};               // Counter::bdot until the commit assigns it

struct Entry {
  Dot dot;
  uint64_t hlc;  // with kPresenceOnly when the entry carries no value
  SmallString val;
  bool hasValue() const { return !(hlc & kPresenceOnly); }
  uint64_t stamp() const { return hlc & ~kPresenceOnly; }
};

struct Counter {
  uint16_t origin = 0;
  uint64_t inc = 0, seq = 0;    // incarnation and version of the running total
  __int128 ti = 0;              // integer part
  long double tf = 0;           // float part (INCRBYFLOAT, ZINCRBY)
  uint64_t binc = 0, bseq = 0;  // what the latest reset observed (0 = none)
  __int128 bti = 0;
  long double btf = 0;
  Dot bdot = 0;  // the write that made that reset: once every instance has seen it, a
                 // fully reset counter can be dropped (tombstone garbage collection)

  // How much of this instance's total is still visible after the resets.
  bool coveredByReset() const { return inc < binc || (inc == binc && seq <= bseq); }
  __int128 visibleInt() const { return coveredByReset() ? 0 : (inc == binc ? ti - bti : ti); }
  long double visibleFloat() const { return coveredByReset() ? 0 : (inc == binc ? tf - btf : tf); }
};

struct Counters {
  std::vector<Counter> byOrigin;  // sorted by origin: float sums must add in the same order everywhere
  Counter* find(uint16_t origin);
  Counter& findOrAdd(uint16_t origin);
  bool anyFloat() const;
  __int128 sumInt() const;
  long double sumFloat() const;
};

// The current entries of a cell. Almost every cell has exactly one, so the first lives
// inline and only concurrent writes spill into a heap vector: a string key then costs one
// allocation less. No dot is 0 (instances and sequences count from 1), so a first entry
// with dot 0 marks the list empty and no count is stored: a cell (a string key, a hash
// field, a set member) is 8 bytes smaller.
class EntryList {
 public:
  size_t size() const { return first_.dot ? 1 + (rest_ ? rest_->size() : 0) : 0; }
  bool empty() const { return first_.dot == 0; }
  Entry& operator[](size_t i) { return i == 0 ? first_ : (*rest_)[i - 1]; }
  const Entry& operator[](size_t i) const { return i == 0 ? first_ : (*rest_)[i - 1]; }
  void push_back(const Entry& e) {
    if (empty()) {
      first_ = e;
    } else {
      if (!rest_) rest_ = std::make_unique<std::vector<Entry>>();
      rest_->push_back(e);
    }
  }
  // Keeps the first n entries (n <= size()).
  void truncate(size_t n) {
    if (n == 0) first_ = Entry{};
    if (n <= 1) rest_.reset();
    else rest_->resize(n - 1);
  }
  size_t heapBytes() const;

  template <class E>
  class Iter {
   public:
    Iter(E* list, size_t i) : list_(list), i_(i) {}
    auto& operator*() const { return (*list_)[i_]; }
    auto* operator->() const { return &(*list_)[i_]; }
    Iter& operator++() {
      i_++;
      return *this;
    }
    bool operator!=(const Iter& o) const { return i_ != o.i_; }

   private:
    E* list_;
    size_t i_;
  };
  Iter<EntryList> begin() { return {this, 0}; }
  Iter<EntryList> end() { return {this, size()}; }
  Iter<const EntryList> begin() const { return {this, 0}; }
  Iter<const EntryList> end() const { return {this, size()}; }

 private:
  Entry first_{0, 0, {}};
  std::unique_ptr<std::vector<Entry>> rest_;  // null when there is no second entry
};

// The part of a delta (or snapshot) that concerns one cell.
struct CellDelta {
  std::vector<Entry> add;      // entries written
  std::vector<Dot> covered;    // entries the writer had seen and replaces or removes
  std::vector<Counter> counters;
  bool empty() const { return add.empty() && covered.empty() && counters.empty(); }
  void encode(ByteWriter& w) const;
  void decode(ByteReader& r);
};

class Cell {
 public:
  EntryList entries;
  std::unique_ptr<Counters> counters;

  bool visible() const { return !entries.empty(); }
  bool isEmpty() const { return entries.empty() && !counters; }
  // The winning entry that carries a value, or null.
  const Entry* winner() const;

  // Join a delta into this cell. `seen` says whether a dot was already in the local causal
  // context before this delta; `coversAll` is for snapshots, whose context covers every
  // dot the sender had seen: Covers(dot) -> bool.
  template <class Seen, class Covers>
  void join(const CellDelta& d, const Seen& seen, const Covers& covers);

  // A counter whose increment and reset the sender had seen, but that the sender no longer
  // holds, was collected there as garbage (it counted zero everywhere): drop it here too.
  template <class Covers>
  void dropCollectedCounters(const CellDelta& d, const Covers& covers);
  // What a write that replaces everything in this cell covers: its entries, and a reset of
  // every counter (the baselines become the totals seen; their bdot is assigned at commit).
  void coverAll(CellDelta& d) const;
  // Add the encoded full state of this cell (for snapshots).
  void toDelta(CellDelta& d) const;
  size_t memoryUsage() const;
};

// A dot read from the wire: instance 1..65535 and a sequence from 1.
Dot readDot(ByteReader& r);

// Joins counters. A running total is named by the dot of the increment that made it, and a
// baseline by the dot of its reset: one whose dot was already seen is old news (possibly
// collected as garbage since) and is skipped. Seen: Dot -> bool.
template <class Seen>
void joinCounters(std::unique_ptr<Counters>& mine, const std::vector<Counter>& theirs, const Seen& seen);
void joinCounter(Counters& mine, const Counter& theirs, bool total, bool baseline);

template <class Seen, class Covers>
void Cell::join(const CellDelta& d, const Seen& seen, const Covers& covers) {
  if (!d.covered.empty() || !entries.empty()) {
    // Remove our entries the writer had seen but does not keep.
    size_t out = 0;
    for (size_t i = 0; i < entries.size(); i++) {
      bool removed = covers(d, entries[i].dot);
      if (removed)
        for (const Entry& e : d.add)
          if (e.dot == entries[i].dot) removed = false;
      if (!removed) {
        if (out != i) entries[out] = std::move(entries[i]);
        out++;
      }
    }
    entries.truncate(out);
  }
  for (const Entry& e : d.add) {
    bool have = false;
    for (const Entry& mine : entries)
      if (mine.dot == e.dot) have = true;
    if (!have && !seen(e.dot)) entries.push_back(e);
  }
  if (counters) dropCollectedCounters(d, covers);
  if (!d.counters.empty()) joinCounters(counters, d.counters, seen);
}

template <class Covers>
void Cell::dropCollectedCounters(const CellDelta& d, const Covers& covers) {
  auto& mine = counters->byOrigin;
  for (size_t i = 0; i < mine.size();) {
    const Counter& c = mine[i];
    bool theyHave = false;
    for (const Counter& t : d.counters) theyHave |= t.origin == c.origin;
    if (!theyHave && c.seq && covers(d, makeDot(c.origin, c.seq)) && (!c.bdot || covers(d, c.bdot))) {
      mine.erase(mine.begin() + i);
    } else {
      i++;
    }
  }
  if (mine.empty()) counters.reset();
}

template <class Seen>
void joinCounters(std::unique_ptr<Counters>& mine, const std::vector<Counter>& theirs, const Seen& seen) {
  for (const Counter& t : theirs) {
    bool total = t.seq && !seen(makeDot(t.origin, t.seq));
    bool baseline = t.bdot && !seen(t.bdot);
    if (!total && !baseline) continue;
    if (!mine) mine = std::make_unique<Counters>();
    joinCounter(*mine, t, total, baseline);
  }
}

}  // namespace raa
