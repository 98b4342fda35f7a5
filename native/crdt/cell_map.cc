#include "cell_map.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "bytes.h"

namespace raa {

namespace {
constexpr size_t kMinSlots = 8;
constexpr uint64_t kSeed = 0x63656c6c;

// The field array grows by half (not double, as std::vector): a big hash or set wastes less.
size_t grown(size_t capacity) { return std::max<size_t>(4, capacity + capacity / 2); }

// Slots for n fields at a load of at most 3/4.
size_t slotsFor(size_t n) {
  size_t slots = kMinSlots;
  while (n * 4 > slots * 3) slots *= 2;
  return slots;
}
}  // namespace

uint32_t CellMap::tagOf(std::string_view name) { return static_cast<uint32_t>(hash64(name.data(), name.size(), kSeed)); }

CellMap::~CellMap() {
  for (size_t i = 0; i < size_; i++) fields_[i].~Field();
  std::free(fields_);
}

// Moves the fields' bytes to a block of n fields (n >= size_): see the header.
void CellMap::setCapacity(size_t n) {
  static_assert(alignof(Field) <= alignof(std::max_align_t), "malloc's alignment suffices");
  if (n == 0) {
    std::free(fields_);
    fields_ = nullptr;
  } else {
    void* p = std::realloc(static_cast<void*>(fields_), n * sizeof(Field));
    if (!p) throw std::bad_alloc();
    fields_ = static_cast<Field*>(p);
  }
  capacity_ = static_cast<uint32_t>(n);
}

size_t CellMap::find(std::string_view name, uint32_t tag) const {
  if (slots_)
    for (size_t i = tag & mask_; slots_[i].pos; i = (i + 1) & mask_)
      if (slots_[i].tag == tag && fields_[slots_[i].pos - 1].name == name) return slots_[i].pos - 1;
  return size_;
}

CellMap::Field* CellMap::find(std::string_view name) {
  size_t i = find(name, tagOf(name));
  return i < size_ ? &fields_[i] : nullptr;
}

const CellMap::Field* CellMap::find(std::string_view name) const {
  size_t i = find(name, tagOf(name));
  return i < size_ ? &fields_[i] : nullptr;
}

const CellMap::Field* CellMap::tagged(uint32_t tag) const {
  if (!slots_) return nullptr;
  for (size_t i = tag & mask_; slots_[i].pos; i = (i + 1) & mask_)
    if (slots_[i].tag == tag) return &fields_[slots_[i].pos - 1];
  return nullptr;
}

void CellMap::prefetchSlot(uint32_t tag) const {
  if (slots_) __builtin_prefetch(&slots_[tag & mask_]);
}

void CellMap::prefetchField(uint32_t tag) const {
  if (const Field* f = tagged(tag)) __builtin_prefetch(f);
}

void CellMap::prefetchName(uint32_t tag) const {
  if (const Field* f = tagged(tag)) __builtin_prefetch(f->name.data());
}

CellMap::Field& CellMap::add(std::string_view name) {
  if (!slots_) rehash(kMinSlots);
  else if ((size_ + 1) * 4 > (size_t{mask_} + 1) * 3) rehash((size_t{mask_} + 1) * 2);
  uint32_t tag = tagOf(name);
  size_t i = tag & mask_;
  while (slots_[i].pos) i = (i + 1) & mask_;
  if (size_ == capacity_) setCapacity(grown(capacity_));
  Field* f = new (fields_ + size_) Field{SmallString(name), Cell{}};
  size_++;
  slots_[i] = Slot{size_, tag};
  return *f;
}

void CellMap::reserve(size_t n) {
  if (n <= capacity_) return;
  // At least a step of growth, so that repeated bulk writes to one map stay amortised O(1).
  setCapacity(std::max(n, grown(capacity_)));
  size_t slots = slotsFor(capacity_);
  if (!slots_ || slots > size_t{mask_} + 1) rehash(slots);
}

size_t CellMap::slotOf(size_t index) const {
  size_t i = tagOf(fields_[index].name.view()) & mask_;
  while (slots_[i].pos != index + 1) i = (i + 1) & mask_;
  return i;
}

// Backward-shift deletion of the slot (every field stays in the unbroken run of slots that
// starts at its home slot, which find relies on), then the fields after it move up
// (keepOrder) or the last one moves into the hole.
void CellMap::eraseAt(size_t index, bool keepOrder) {
  size_t hole = slotOf(index);
  slots_[hole].pos = 0;
  for (size_t j = (hole + 1) & mask_; slots_[j].pos; j = (j + 1) & mask_) {
    size_t home = slots_[j].tag & mask_;
    // The field at j may move to the hole only if its home is not in (hole, j] cyclically.
    bool homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (homeBetween) continue;
    slots_[hole] = slots_[j];
    slots_[j].pos = 0;
    hole = j;
  }
  if (keepOrder) {
    for (size_t j = 0; j <= mask_; j++)
      if (slots_[j].pos > index + 1) slots_[j].pos--;
    fields_[index].~Field();
    std::memmove(static_cast<void*>(fields_ + index), fields_ + index + 1, (size_ - index - 1) * sizeof(Field));
  } else {
    size_t last = size_ - 1;
    fields_[index].~Field();
    if (index != last) {
      slots_[slotOf(last)].pos = static_cast<uint32_t>(index + 1);
      std::memcpy(static_cast<void*>(fields_ + index), fields_ + last, sizeof(Field));
    }
  }
  size_--;
  // A map emptied by removals gives its memory back (a hash or set that shrinks stays small).
  if (size_t{mask_} + 1 > kMinSlots && size_ * 8 < size_t{mask_} + 1) {
    rehash((size_t{mask_} + 1) / 2);
    if (capacity_ > size_ * 4) setCapacity(size_);
  }
}

void CellMap::rehash(size_t slots) {
  std::unique_ptr<Slot[]> old = std::move(slots_);
  size_t oldSlots = old ? size_t{mask_} + 1 : 0;
  slots_ = std::make_unique<Slot[]>(slots);  // value-initialised: all empty
  mask_ = static_cast<uint32_t>(slots - 1);
  for (size_t k = 0; k < oldSlots; k++) {
    if (!old[k].pos) continue;
    size_t i = old[k].tag & mask_;
    while (slots_[i].pos) i = (i + 1) & mask_;
    slots_[i] = old[k];
  }
}

}  // namespace raa
