// The elements of a list in (position, dot) order, packed in chunks of up to kChunk entries,
// as Redis's quicklist packs listpacks.
//
// A tree with a node per element (std::map) cost 96 bytes and a malloc per element; fixed
// 48-byte items in chunks cost no malloc but still five times a listpack's bytes, and a
// growing list's fresh pages were a tenth of an LPUSH's CPU. An entry here is a few bytes
// beside its value: the position's digit, the dot's sequence and the stamp are varints
// relative to values the chunk holds once (pushes in a run differ by little), and the
// writer and the dot's origin are implied when they are the chunk's. An LPUSH of a 3-byte
// value takes about 10 bytes.
//
// Each chunk keeps free room at both ends: a run of LPUSHes fills a chunk downwards, a run of
// RPUSHes upwards, a new chunk comes every kChunk pushes. A lookup by position checks the
// end chunks first, bisects the chunks by their last entry, then scans the chunk (each entry
// ends with its length, so scans go both ways). Iterators decode the entry they stand on and
// are valid until the list changes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "clock.h"
#include "small_string.h"

namespace raa {

// A list position's digits, as deltas and iterators carry them (chunks pack them as varints).
// Pushes at either end step one digit away from their neighbour, so nearly every position
// has a single small digit: it lives in the 8 bytes themselves (shifted, with the low bit
// set), and only other positions (deeper ones, from insertions between close neighbours, or
// a digit beyond +-2^62) take a heap block {count, digits...}.
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
// An element's value and its stamp, as deltas carry them.
struct ListElem {
  uint64_t hlc = 0;     // stamp of the value
  uint16_t writer = 0;  // instance that wrote the value
  SmallString val;
};
// The same read from a chunk: the value is a view of the chunk's bytes.
struct ListElemRef {
  uint64_t hlc = 0;
  uint16_t writer = 0;
  std::string_view val;
  ListElem owned() const { return ListElem{hlc, writer, SmallString(val)}; }
};
struct ListItem {
  ListPos pos;
  ListElemRef elem;
};

class ListSeq {
  struct Bases;
  struct Chunk;

 public:
  static constexpr uint32_t kChunk = 64;         // entries per chunk at most
  static constexpr uint32_t kChunkBytes = 4096;  // entry bytes per chunk, unless one entry is larger

  class Iter {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = ListItem;
    using difference_type = std::ptrdiff_t;
    using pointer = const ListItem*;
    using reference = const ListItem&;

    Iter() = default;
    Iter(const ListSeq* seq, size_t chunk, uint32_t off) : seq_(seq), chunk_(chunk), off_(off) {}
    const ListItem& operator*() const;
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
    bool operator==(const Iter& o) const { return chunk_ == o.chunk_ && off_ == o.off_; }
    bool operator!=(const Iter& o) const { return !(*this == o); }

   private:
    const ListSeq* seq_ = nullptr;
    size_t chunk_ = 0;
    uint32_t off_ = 0;  // the entry's first byte in its chunk
    mutable ListItem item_;
    mutable bool decoded_ = false;
  };

  // Where a position is in the list, or where it would go.
  struct Place {
    size_t chunk = 0;
    uint32_t off = 0;
    bool found = false;
  };

  ListSeq() = default;
  ListSeq(const ListSeq&) = delete;
  ListSeq& operator=(const ListSeq&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Iter begin() const;
  Iter end() const { return Iter(this, chunks_.size(), 0); }
  // The element at a 0-based index (< size()): walks the chunks from the nearer end.
  Iter at(size_t index) const;

  Place locate(const ListPos& pos) const;
  // The value and stamp at a found place.
  ListElemRef elemAt(const Place& at) const;
  // Adds an element where locate() found its position missing.
  void insertAt(const Place& at, const ListPos& pos, const ListElem& elem);
  // Gives the element at a found place a new value and stamp.
  void replaceAt(const Place& at, const ListPos& pos, const ListElem& elem);
  // Removes the element at exactly `pos`; false when there is none.
  bool erase(const ListPos& pos);
  // Calls f on every element, in order, and removes those for which it returns true.
  void eraseIf(const std::function<bool(const ListItem&)>& f);

  // Bytes held, for memory estimates (values are inside the chunks).
  size_t chunkBytes() const;

 private:
  struct FreeChunk {
    void operator()(Chunk* c) const;
  };
  using ChunkPtr = std::unique_ptr<Chunk, FreeChunk>;
  // An empty chunk of cap bytes whose entries are encoded against `bases`.
  static ChunkPtr makeChunk(size_t cap, const Bases& bases);
  // The chunk that holds pos or where it would go (chunks_ not empty).
  size_t chunkFor(const ListPos& pos) const;
  // Makes `size` bytes of room at byte `off` of chunk c and returns their offset.
  uint32_t openAt(size_t c, uint32_t off, uint32_t size);
  // Removes the entry at `off` of chunk c (the chunk stays, even empty); returns the offset
  // where the entry after it now starts.
  uint32_t removeAt(size_t c, uint32_t off);
  // Whether chunk c has no room for the element (kChunk entries, or kChunkBytes).
  bool full(size_t c, const ListPos& pos, const ListElem& elem) const;
  // Moves the upper half of a full chunk c into a new chunk after it.
  void split(size_t c);
  void decode(size_t c, uint32_t off, ListItem& out) const;

  std::deque<ChunkPtr> chunks_;  // none empty
  size_t size_ = 0;
};

}  // namespace raa
