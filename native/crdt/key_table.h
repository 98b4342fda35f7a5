// The keyspace's hash table. Open addressing with linear probing over a power-of-two
// array of (entry pointer, hash tag) slots: a lookup reads slots and, on a tag match,
// one entry (std::unordered_map walks a chain of nodes and re-hashes their keys).
// Entries are allocated one by one, so a pointer to an entry stays valid until that key
// is erased, whatever else is inserted or erased.
//
// SCAN walks home slots in reverse-binary order, as Redis walks its buckets: a full scan
// returns every key that was present from its start to its end, across resizes.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "key.h"
#include "small_string.h"

namespace raa {

using KeyEntry = std::pair<const SmallString, KeyState>;

class KeyTable {
 public:
  KeyTable();
  ~KeyTable();
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  // The hash tag of a key, which the prefetch hints take: a batch hashes each key once.
  static uint32_t tagOf(std::string_view key);
  KeyEntry* find(std::string_view key) const { return find(key, tagOf(key)); }
  KeyEntry* find(std::string_view key, uint32_t tag) const;
  // Cache hints for a batch of lookups to come, so that their memory misses overlap instead
  // of following one another: first the home slots of all the keys, then (once those have
  // arrived) the entries their first matching tags point to, then (once those have arrived)
  // what an entry holds out of line: a key or value of more than 15 bytes, a counter.
  void prefetchSlot(uint32_t tag) const;
  void prefetchEntry(uint32_t tag) const;
  void prefetchHeld(uint32_t tag) const;
  // The entry of `key`, created (with an empty state) when absent.
  KeyEntry& findOrAdd(std::string_view key);
  void erase(KeyEntry* e);
  size_t size() const { return size_; }
  size_t capacity() const { return mask_ + 1; }

  // Read-only iteration in slot order (no insert or erase meanwhile).
  class ConstIter {
   public:
    ConstIter(const KeyTable* t, size_t i) : t_(t), i_(i) { skip(); }
    const KeyEntry& operator*() const { return *t_->slots_[i_].entry; }
    ConstIter& operator++() {
      i_++;
      skip();
      return *this;
    }
    bool operator!=(const ConstIter& o) const { return i_ != o.i_; }

   private:
    void skip() {
      while (i_ <= t_->mask_ && !t_->slots_[i_].entry) i_++;
    }
    const KeyTable* t_;
    size_t i_;
  };
  ConstIter begin() const { return ConstIter(this, 0); }
  ConstIter end() const { return ConstIter(this, mask_ + 1); }

  // Every entry, in slot order. `f` must not insert or erase (collect first, then change).
  template <class F>
  void forEach(const F& f) const {
    for (size_t i = 0; i <= mask_; i++)
      if (slots_[i].entry) f(*slots_[i].entry);
  }
  // Visits the keys whose home slot is `cursor` (masked) and returns the next cursor (0 at
  // the end).
  template <class F>
  uint64_t scan(uint64_t cursor, const F& f) const {
    size_t home = cursor & mask_;
    for (size_t i = home; slots_[i].entry; i = (i + 1) & mask_)
      if ((slots_[i].tag & mask_) == home) f(*slots_[i].entry);
    return nextCursor(cursor);
  }
  // The entry in a random occupied slot (null when empty); `r` supplies random numbers.
  template <class R>
  KeyEntry* random(R& r) const {
    if (!size_) return nullptr;
    for (;;) {
      size_t i = r() & mask_;
      if (slots_[i].entry) return slots_[i].entry;
    }
  }
  size_t memoryUsage() const { return capacity() * sizeof(Slot); }

 private:
  const KeyEntry* tagged(uint32_t tag) const;
  uint64_t nextCursor(uint64_t cursor) const;
  void resize(size_t capacity);
  size_t slotOf(const KeyEntry* e) const;

  // A slot's tag beside its pointer: a probe touches one cache line, not two.
  struct Slot {
    KeyEntry* entry;  // null = empty
    uint32_t tag;     // low 32 bits of the key's hash
  };
  std::unique_ptr<Slot[]> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace raa
