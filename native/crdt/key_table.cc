#include "key_table.h"

#include "bytes.h"

namespace raa {

namespace {
constexpr size_t kInitialCapacity = 16;
constexpr uint64_t kSeed = 0x6b6579;

uint64_t reverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
  v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
  v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
  v = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
  v = ((v >> 16) & 0x0000ffff0000ffffull) | ((v & 0x0000ffff0000ffffull) << 16);
  return (v >> 32) | (v << 32);
}
}  // namespace

uint32_t KeyTable::tagOf(std::string_view key) { return static_cast<uint32_t>(hash64(key.data(), key.size(), kSeed)); }

KeyTable::KeyTable() { resize(kInitialCapacity); }

KeyTable::~KeyTable() {
  for (size_t i = 0; i <= mask_; i++) delete slots_[i].entry;
}

KeyEntry* KeyTable::find(std::string_view key, uint32_t tag) const {
  for (size_t i = tag & mask_; slots_[i].entry; i = (i + 1) & mask_)
    if (slots_[i].tag == tag && slots_[i].entry->first == key) return slots_[i].entry;
  return nullptr;
}

void KeyTable::prefetchSlot(uint32_t tag) const { __builtin_prefetch(&slots_[tag & mask_]); }

// The entry that the first slot with key's tag points to (a guess: only the tag is
// compared), or null.
const KeyEntry* KeyTable::tagged(uint32_t tag) const {
  for (size_t i = tag & mask_; slots_[i].entry; i = (i + 1) & mask_)
    if (slots_[i].tag == tag) return slots_[i].entry;
  return nullptr;
}

void KeyTable::prefetchEntry(uint32_t tag) const {
  if (const KeyEntry* e = tagged(tag)) {
    // An entry (key and state) spans two cache lines.
    __builtin_prefetch(e);
    __builtin_prefetch(reinterpret_cast<const char*>(e) + 64);
  }
}

void KeyTable::prefetchHeld(uint32_t tag) const {
  const KeyEntry* e = tagged(tag);
  if (!e) return;
  __builtin_prefetch(e->first.data());  // inline keys point into the entry: no cost
  const Cell& str = e->second.str;
  if (!str.entries.empty()) __builtin_prefetch(str.entries[0].val.data());
  if (str.counters) __builtin_prefetch(str.counters.get());
}

KeyEntry& KeyTable::findOrAdd(std::string_view key) {
  uint32_t tag = tagOf(key);
  size_t i = tag & mask_;
  for (; slots_[i].entry; i = (i + 1) & mask_)
    if (slots_[i].tag == tag && slots_[i].entry->first == key) return *slots_[i].entry;
  if ((size_ + 1) * 4 > capacity() * 3) {  // keep the load at most 3/4
    resize(capacity() * 2);
    for (i = tag & mask_; slots_[i].entry; i = (i + 1) & mask_) {
    }
  }
  slots_[i].entry = new KeyEntry(SmallString(key), KeyState{});
  slots_[i].tag = tag;
  size_++;
  return *slots_[i].entry;
}

size_t KeyTable::slotOf(const KeyEntry* e) const {
  size_t i = tagOf(e->first.view()) & mask_;
  while (slots_[i].entry != e) i = (i + 1) & mask_;
  return i;
}

// Backward-shift deletion: entries after the hole that may live there move back, so every
// entry stays in the unbroken run that starts at its home slot (what find and scan rely on).
void KeyTable::erase(KeyEntry* e) {
  size_t hole = slotOf(e);
  delete e;
  slots_[hole].entry = nullptr;
  size_--;
  for (size_t j = (hole + 1) & mask_; slots_[j].entry; j = (j + 1) & mask_) {
    size_t home = slots_[j].tag & mask_;
    // Can the entry at j move to the hole? Only if its home is not in (hole, j] cyclically.
    bool homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (homeBetween) continue;
    slots_[hole] = slots_[j];
    slots_[j].entry = nullptr;
    hole = j;
  }
  if (capacity() > kInitialCapacity && size_ * 8 < capacity()) resize(capacity() / 2);
}

void KeyTable::resize(size_t capacity) {
  std::unique_ptr<Slot[]> oldSlots = std::move(slots_);
  size_t oldCapacity = oldSlots ? mask_ + 1 : 0;
  slots_ = std::make_unique<Slot[]>(capacity);  // value-initialised: all null
  mask_ = capacity - 1;
  for (size_t k = 0; k < oldCapacity; k++) {
    if (!oldSlots[k].entry) continue;
    size_t i = oldSlots[k].tag & mask_;
    while (slots_[i].entry) i = (i + 1) & mask_;
    slots_[i] = oldSlots[k];
  }
}

// Redis's reverse-binary cursor: increment the bit-reversed cursor, so that the slots
// visited before a resize map onto slots already visited after it.
uint64_t KeyTable::nextCursor(uint64_t cursor) const {
  cursor |= ~static_cast<uint64_t>(mask_);
  cursor = reverseBits(cursor);
  cursor++;
  return reverseBits(cursor);
}

}  // namespace raa
