// The elements of a list in (position, dot) order, held in chunks of up to kChunk elements
// laid out contiguously, as Redis's quicklist holds listpacks.
//
// A tree with a node per element (std::map) cost 96 bytes and a malloc per element, and a
// push touched fresh memory every time. Here a push at either end writes into the end chunk
// (each chunk keeps free room at both ends: a run of LPUSHes fills a chunk downwards, a run
// of RPUSHes upwards), a new chunk comes every kChunk pushes, and a lookup by position
// checks the end chunks first and otherwise bisects the chunks by their last element.
//
// Elements move with memmove inside and between chunks: a ListItem holds no pointer into
// itself (PosDigits and SmallString keep either inline bytes or a heap pointer). Iterators
// are valid until the next insert or erase.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "clock.h"
#include "small_string.h"

namespace raa {

// A list position's digits. Pushes at either end step one digit away from their neighbour,
// so nearly every position has a single small digit: it lives in the 8 bytes themselves
// (shifted, with the low bit set), and only other positions (deeper ones, from insertions
// between close neighbours, or a digit beyond +-2^62) take a heap block {count, digits...}.
// 8 bytes, where a count beside an inline digit took 16 and a std::vector 24 and a block.
class PosDigits {
 public:
  PosDigits() = default;
  explicit PosDigits(const std::vector<int64_t>& d) : PosDigits(d.data(), d.size()) {}
  PosDigits(const int64_t* d, size_t n);
  PosDigits(const PosDigits& o) : bits_(o.isInline() ? o.bits_ : 0) {
    if (!o.isInline() && o.bits_) *this = PosDigits(o.heap() + 1, o.size());
  }
  PosDigits(PosDigits&& o) noexcept : bits_(o.bits_) { o.bits_ = 0; }
  PosDigits& operator=(PosDigits o) noexcept {
    std::swap(bits_, o.bits_);
    return *this;
  }
  ~PosDigits() {
    if (!isInline() && bits_) delete[] heap();
  }
  size_t size() const { return isInline() ? 1 : bits_ ? static_cast<size_t>(heap()[0]) : 0; }
  int64_t operator[](size_t i) const { return isInline() ? static_cast<int64_t>(bits_) >> 1 : heap()[1 + i]; }
  // Heap bytes beyond the 8 inline ones.
  size_t heapBytes() const { return isInline() || !bits_ ? 0 : (size() + 1) * sizeof(int64_t); }

 private:
  bool isInline() const { return bits_ & 1; }
  int64_t* heap() const { return reinterpret_cast<int64_t*>(bits_); }
  uintptr_t bits_ = 0;  // (digit << 1) | 1, or a heap block (even), or 0: no digits
};
static_assert(sizeof(uintptr_t) == sizeof(int64_t), "a digit and a pointer share the 8 bytes");

// List: every element has a position in a dense order (digits compared like strings, a
// prefix before its extensions) and the dot that created it; the list is the elements in
// (position, dot) order. The element's value is last-writer-wins (LSET). Removals name the
// element by its position (the dot included), so finding it is a search of the order and
// a list needs no index by dot beside it.
struct ListPos {
  PosDigits digits;
  Dot cdot = 0;
  bool operator<(const ListPos& o) const;
  bool operator==(const ListPos& o) const;
};
struct ListElem {
  uint64_t hlc = 0;     // stamp of the value
  uint16_t writer = 0;  // instance that wrote the value
  SmallString val;
};
struct ListItem {
  ListPos pos;
  ListElem elem;
};

class ListSeq {
 public:
  static constexpr uint32_t kChunk = 64;

  class Iter {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = ListItem;
    using difference_type = std::ptrdiff_t;
    using pointer = const ListItem*;
    using reference = const ListItem&;

    Iter() = default;
    Iter(const ListSeq* seq, size_t chunk, uint32_t index) : seq_(seq), chunk_(chunk), index_(index) {}
    const ListItem& operator*() const { return seq_->chunks_[chunk_]->item(index_); }
    const ListItem* operator->() const { return &**this; }
    Iter& operator++();
    Iter& operator--();
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    Iter operator--(int) {
      Iter old = *this;
      --*this;
      return old;
    }
    bool operator==(const Iter& o) const { return chunk_ == o.chunk_ && index_ == o.index_; }
    bool operator!=(const Iter& o) const { return !(*this == o); }

   private:
    const ListSeq* seq_ = nullptr;
    size_t chunk_ = 0;
    uint32_t index_ = 0;
  };

  ListSeq() = default;
  ListSeq(const ListSeq&) = delete;
  ListSeq& operator=(const ListSeq&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Iter begin() const { return Iter(this, 0, 0); }
  Iter end() const { return Iter(this, chunks_.size(), 0); }
  // The element at a 0-based index (< size()): walks the chunks from the nearer end.
  Iter at(size_t index) const;

  // The element at exactly `pos`, or null.
  ListItem* find(const ListPos& pos);
  // Adds an element whose position is not in the list.
  void insert(const ListPos& pos, const ListElem& elem);
  // Removes the element at exactly `pos`; false when there is none.
  bool erase(const ListPos& pos);
  // Calls f on every element, in order, and removes those for which it returns true.
  template <class F>
  void eraseIf(const F& f);

  // Bytes held, for memory estimates (the chunks; heap bytes of long values and positions
  // are the caller's to add).
  size_t chunkBytes() const;

 private:
  // A chunk's header; its `cap` slots follow it in the same allocation. A list starts with
  // room for kFirstCap elements and its chunk doubles up to kChunk, so that a list of three
  // elements does not hold a chunk of 64.
  struct Chunk {
    uint32_t lo, hi, cap;  // the items live in slots [lo, hi) of cap

    uint32_t size() const { return hi - lo; }
    ListItem* slot(uint32_t i) { return reinterpret_cast<ListItem*>(reinterpret_cast<char*>(this) + kHeader) + i; }
    const ListItem* slot(uint32_t i) const {
      return reinterpret_cast<const ListItem*>(reinterpret_cast<const char*>(this) + kHeader) + i;
    }
    ListItem& item(uint32_t i) { return *slot(lo + i); }
    const ListItem& item(uint32_t i) const { return *slot(lo + i); }
    const ListPos& first() const { return item(0).pos; }
    const ListPos& last() const { return item(size() - 1).pos; }
    // Index of the first item not below pos.
    uint32_t lowerBound(const ListPos& pos) const;
    // Makes a hole at index i (room must exist at one end) and returns its slot.
    ListItem* openAt(uint32_t i);
    void eraseAt(uint32_t i);
  };
  static constexpr size_t kHeader = 16;  // keeps the slots 8-byte aligned
  static constexpr uint32_t kFirstCap = 4;
  struct FreeChunk {
    void operator()(Chunk* c) const;  // destroys the items, frees the block
  };
  using ChunkPtr = std::unique_ptr<Chunk, FreeChunk>;
  // An empty chunk of cap slots whose first item will go at slot `at`.
  static ChunkPtr makeChunk(uint32_t cap, uint32_t at);
  // A full chunk below kChunk slots moves to a block of twice the room, its items centred.
  static void grow(ChunkPtr& c);

  // The chunk that holds pos or where it would go (chunks_ not empty).
  size_t chunkFor(const ListPos& pos) const;

  std::deque<ChunkPtr> chunks_;  // none empty
  size_t size_ = 0;
};

template <class F>
void ListSeq::eraseIf(const F& f) {
  for (size_t c = 0; c < chunks_.size();) {
    Chunk& ch = *chunks_[c];
    for (uint32_t i = 0; i < ch.size();) {
      if (f(ch.item(i))) {
        ch.eraseAt(i);
        size_--;
      } else {
        i++;
      }
    }
    if (ch.size() == 0) chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
    else c++;
  }
}

}  // namespace raa
