// The fields of a hash or the members of a set: a cell per name, and how many are visible.
//
// The fields (name and cell) lie one after another in a vector, and a power-of-two array
// of slots, each a field's index and a tag of its name's hash, finds them by linear
// probing. A field costs no allocation of its own: std::unordered_map took a node per
// field (malloc's header, a next pointer, a cached hash, a 32-byte std::string) and a
// bucket, and a lookup missed on the bucket and then on the node. Here a lookup reads a
// slot and one field, a bulk insert (an RDB load) sizes both arrays once, and iteration
// walks contiguous memory. The field array is grown with realloc and fields are moved
// with memmove: a Field (SmallString, EntryList, unique_ptrs) holds no pointer into itself,
// so its bytes can move, and growing a big map then costs no move and destruction per field
// (and often no copy at all, when realloc remaps the pages).
//
// Fields are iterated in the order they were added. Erasing one moves others (those after
// it in a small map, the last one in a large map or with eraseMovingLast): a Field* or Cell*
// is only valid until the next add() or erase(), an index until the next erase(). The order
// depends only on the history of adds and erases.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>

#include "cell.h"
#include "small_string.h"

namespace raa {

class CellMap {
 public:
  struct Field {
    SmallString name;
    Cell cell;
  };
  size_t live = 0;  // fields whose cell is visible

  CellMap() = default;
  CellMap(const CellMap&) = delete;
  CellMap& operator=(const CellMap&) = delete;
  ~CellMap();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Field* find(std::string_view name);
  const Field* find(std::string_view name) const;
  // Cache hints for lookups to come (see KeyTable), given the name's tagOf: the name's home
  // slot, then the field its first matching tag points to, then that field's name bytes
  // when they are out of line.
  static uint32_t tagOf(std::string_view name);
  void prefetchSlot(uint32_t tag) const;
  void prefetchField(uint32_t tag) const;
  void prefetchName(uint32_t tag) const;
  // Adds an empty cell named `name`, which must be absent.
  Field& add(std::string_view name);
  void erase(const Field* f) { eraseAt(static_cast<size_t>(f - fields_), size_ <= kOrderedUpTo); }
  // Erases by moving the last field into f's place, whatever the size: for callers that
  // refer to fields by index (a zset's order), one field changes index.
  void eraseMovingLast(const Field* f) { eraseAt(static_cast<size_t>(f - fields_), false); }
  // Room for n fields in all: a bulk write grows the arrays once.
  void reserve(size_t n);
  // Calls f once on every field, and erases those for which it returns true.
  template <class F>
  void eraseIf(const F& f) {
    // Erasing at i brings a field not visited yet to i.
    for (size_t i = 0; i < size_;)
      if (f(fields_[i])) eraseAt(i, size_ <= kOrderedUpTo);
      else i++;
  }

  Field* begin() { return fields_; }
  Field* end() { return fields_ + size_; }
  const Field* begin() const { return fields_; }
  const Field* end() const { return fields_ + size_; }

  // Bytes of the two arrays, for memory estimates (what the cells hold is not included).
  size_t fieldBytes() const { return size_t{capacity_} * sizeof(Field); }
  size_t slotBytes() const { return slots_ ? (size_t{mask_} + 1) * sizeof(Slot) : 0; }

 private:
  struct Slot {
    uint32_t pos;  // the field's index + 1; 0 when the slot is empty
    uint32_t tag;  // low 32 bits of the name's hash
  };
  size_t find(std::string_view name, uint32_t tag) const;  // the field's index, or size()
  const Field* tagged(uint32_t tag) const;                // the first field with this tag
  size_t slotOf(size_t index) const;
  // Up to this many fields an erase keeps the order of the others, as Redis's listpack does
  // for small hashes; beyond, the order is arbitrary in Redis too and erasing stays O(1).
  static constexpr size_t kOrderedUpTo = 128;
  void eraseAt(size_t index, bool keepOrder);
  void rehash(size_t slots);
  void setCapacity(size_t n);

  Field* fields_ = nullptr;  // malloc'd, capacity_ of them, the first size_ constructed
  uint32_t size_ = 0, capacity_ = 0;
  std::unique_ptr<Slot[]> slots_;  // null until the first add
  uint32_t mask_ = 0;              // slot count - 1
};

}  // namespace raa
