#include "list_seq.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace raa {

PosDigits::PosDigits(const int64_t* d, size_t n) {
  uintptr_t shifted = n ? static_cast<uintptr_t>(d[0]) << 1 : 0;
  if (n == 1 && static_cast<int64_t>(shifted) >> 1 == d[0]) {  // within +-2^62
    bits_ = shifted | 1;
  } else if (n > 0) {
    int64_t* block = new int64_t[n + 1];
    block[0] = static_cast<int64_t>(n);
    std::memcpy(block + 1, d, n * sizeof(int64_t));
    bits_ = reinterpret_cast<uintptr_t>(block);
  }
}

bool ListPos::operator==(const ListPos& o) const {
  if (cdot != o.cdot || digits.size() != o.digits.size()) return false;
  for (size_t i = 0; i < digits.size(); i++)
    if (digits[i] != o.digits[i]) return false;
  return true;
}

bool ListPos::operator<(const ListPos& o) const {
  size_t n = digits.size() < o.digits.size() ? digits.size() : o.digits.size();
  for (size_t i = 0; i < n; i++)
    if (digits[i] != o.digits[i]) return digits[i] < o.digits[i];
  if (digits.size() != o.digits.size()) return digits.size() < o.digits.size();
  return cdot < o.cdot;
}

ListSeq::Iter& ListSeq::Iter::operator++() {
  if (++index_ == seq_->chunks_[chunk_]->size()) chunk_++, index_ = 0;
  return *this;
}

ListSeq::Iter& ListSeq::Iter::operator--() {
  if (index_ == 0) index_ = seq_->chunks_[--chunk_]->size();
  index_--;
  return *this;
}

ListSeq::Iter ListSeq::at(size_t index) const {
  if (index <= size_ / 2) {
    size_t c = 0;
    while (index >= chunks_[c]->size()) index -= chunks_[c++]->size();
    return Iter(this, c, static_cast<uint32_t>(index));
  }
  size_t fromEnd = size_ - index;  // >= 1
  size_t c = chunks_.size() - 1;
  while (fromEnd > chunks_[c]->size()) fromEnd -= chunks_[c--]->size();
  return Iter(this, c, static_cast<uint32_t>(chunks_[c]->size() - fromEnd));
}

void ListSeq::FreeChunk::operator()(Chunk* c) const {
  for (uint32_t i = c->lo; i < c->hi; i++) c->slot(i)->~ListItem();
  std::free(c);
}

ListSeq::ChunkPtr ListSeq::makeChunk(uint32_t cap, uint32_t at) {
  static_assert(alignof(ListItem) <= kHeader && sizeof(Chunk) <= kHeader, "slots follow the header");
  void* p = std::malloc(kHeader + size_t{cap} * sizeof(ListItem));
  if (!p) throw std::bad_alloc();
  return ChunkPtr(new (p) Chunk{at, at, cap});
}

void ListSeq::grow(ChunkPtr& c) {
  uint32_t n = c->size(), cap = std::min(c->cap * 2, kChunk);
  ChunkPtr bigger = makeChunk(cap, (cap - n) / 2);
  std::memcpy(static_cast<void*>(bigger->slot(bigger->lo)), c->slot(c->lo), n * sizeof(ListItem));
  bigger->hi += n;
  c->hi = c->lo;  // its items moved: nothing to destroy
  c = std::move(bigger);
}

size_t ListSeq::chunkBytes() const {
  size_t n = 0;
  for (const ChunkPtr& c : chunks_) n += kHeader + size_t{c->cap} * sizeof(ListItem);
  return n;
}

uint32_t ListSeq::Chunk::lowerBound(const ListPos& pos) const {
  uint32_t a = 0, b = size();
  while (a < b) {
    uint32_t mid = (a + b) / 2;
    if (item(mid).pos < pos) a = mid + 1;
    else b = mid;
  }
  return a;
}

// Shifts the shorter side that has room: items before i move down, or items from i move up.
ListItem* ListSeq::Chunk::openAt(uint32_t i) {
  bool down = lo > 0 && (hi == cap || i < size() / 2);
  if (down) {
    std::memmove(static_cast<void*>(slot(lo - 1)), slot(lo), i * sizeof(ListItem));
    lo--;
  } else {
    std::memmove(static_cast<void*>(slot(lo + i + 1)), slot(lo + i), (size() - i) * sizeof(ListItem));
    hi++;
  }
  return slot(lo + i);
}

void ListSeq::Chunk::eraseAt(uint32_t i) {
  item(i).~ListItem();
  if (i < size() / 2) {
    std::memmove(static_cast<void*>(slot(lo + 1)), slot(lo), i * sizeof(ListItem));
    lo++;
  } else {
    std::memmove(static_cast<void*>(slot(lo + i)), slot(lo + i + 1), (size() - i - 1) * sizeof(ListItem));
    hi--;
  }
}

// The ends first: pushes go there, and bisecting would touch a chunk per step.
size_t ListSeq::chunkFor(const ListPos& pos) const {
  size_t n = chunks_.size();
  if (!(chunks_[0]->last() < pos)) return 0;
  if (!(pos < chunks_[n - 1]->first())) return n - 1;
  size_t a = 1, b = n - 1;  // the first chunk whose last is not below pos, in [1, n-1]
  while (a < b) {
    size_t mid = (a + b) / 2;
    if (chunks_[mid]->last() < pos) a = mid + 1;
    else b = mid;
  }
  return a;
}

ListItem* ListSeq::find(const ListPos& pos) {
  if (chunks_.empty()) return nullptr;
  Chunk& ch = *chunks_[chunkFor(pos)];
  uint32_t i = ch.lowerBound(pos);
  return i < ch.size() && ch.item(i).pos == pos ? &ch.item(i) : nullptr;
}

void ListSeq::insert(const ListPos& pos, const ListElem& elem) {
  if (chunks_.empty()) {
    chunks_.push_back(makeChunk(kFirstCap, kFirstCap / 2));
    new (chunks_[0]->openAt(0)) ListItem{pos, elem};
    size_ = 1;
    return;
  }
  size_t c = chunkFor(pos);
  uint32_t i = chunks_[c]->lowerBound(pos);
  if (chunks_[c]->size() == chunks_[c]->cap) {
    if (chunks_[c]->cap < kChunk) {
      grow(chunks_[c]);
    } else if ((c == 0 && i == 0) || (c == chunks_.size() - 1 && i == kChunk)) {
      // A run of pushes at this end: a new chunk, filled from its far side.
      bool atHead = i == 0;
      c = atHead ? 0 : c + 1;
      i = 0;
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c), makeChunk(kChunk, atHead ? kChunk : 0));
    } else {
      // An insertion inside a full chunk: its upper half moves to a new chunk after it.
      Chunk& full = *chunks_[c];
      constexpr uint32_t half = kChunk / 2;
      ChunkPtr fresh = makeChunk(kChunk, 0);
      std::memcpy(static_cast<void*>(fresh->slot(0)), full.slot(full.lo + half), half * sizeof(ListItem));
      fresh->hi = half;
      full.hi = full.lo + half;
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c + 1), std::move(fresh));
      if (i > half) c++, i -= half;
    }
  }
  new (chunks_[c]->openAt(i)) ListItem{pos, elem};
  size_++;
}

bool ListSeq::erase(const ListPos& pos) {
  if (chunks_.empty()) return false;
  size_t c = chunkFor(pos);
  Chunk& ch = *chunks_[c];
  uint32_t i = ch.lowerBound(pos);
  if (i == ch.size() || !(ch.item(i).pos == pos)) return false;
  ch.eraseAt(i);
  size_--;
  if (ch.size() == 0) chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
  return true;
}

}  // namespace raa
