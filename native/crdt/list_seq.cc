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

// ---- entries ----
// An entry: a flags byte; the digit count when the position has other than one digit; the
// digits (the first as a zigzag varint from the chunk's base digit, the others as zigzag
// varints); the dot's origin when it is not the chunk's; the dot's sequence and the stamp,
// zigzag varints from the chunk's; the writer when it is not the dot's origin; the value's
// length when it does not fit in the flags; the value; then the length of all that, written
// to be read backwards (7 bits a byte, the high bit set on every byte but the first), so
// that an iterator can step back. Differences wrap modulo 2^64: any value encodes.

struct ListSeq::Bases {
  int64_t digit;
  uint64_t seq, hlc;
  uint16_t origin;
};

// A chunk's header; cap bytes follow it in the same block, [lo, hi) holding count entries.
struct ListSeq::Chunk {
  uint32_t lo, hi, cap, count;
  Bases bases;
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(this + 1); }
};

namespace {

constexpr uint8_t kDeep = 1;         // a digit count follows
constexpr uint8_t kOtherOrigin = 2;  // the dot's origin follows
constexpr uint8_t kOtherWriter = 4;  // the writer follows
constexpr int kLenShift = 3;         // flags >> kLenShift: the value's length, or kLongLen: it follows
constexpr uint64_t kLongLen = 31;
constexpr size_t kFirstBytes = 32;  // a new list's chunk; it doubles as it fills

uint64_t zigzag(uint64_t delta) {
  return (delta << 1) ^ (0 - (delta >> 63));
}
uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

size_t varintSize(uint64_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7) n++;
  return n;
}
uint64_t getVarint(const uint8_t*& p) {
  uint64_t v = 0;
  int shift = 0;
  uint8_t b;
  do {
    b = *p++;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return v;
}

// The size of the entry that ends just before `end`.
uint32_t entryBefore(const uint8_t* end) {
  const uint8_t* p = end;
  uint64_t body = 0;
  int shift = 0;
  uint8_t b;
  do {
    b = *--p;
    body |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return static_cast<uint32_t>(body + static_cast<uint64_t>(end - p));
}

// An entry's fields, read in place.
struct Fields {
  uint8_t flags;
  uint64_t ndigits;
  const uint8_t* digits;  // the first digit's varint
  uint16_t origin, writer;
  uint64_t seq, hlc;
  std::string_view val;
  uint32_t size;  // of the whole entry
};

template <class Bases>
int64_t digitOf(const Bases& b, uint64_t i, uint64_t z) {
  uint64_t v = unzigzag(z);
  return static_cast<int64_t>(i == 0 ? static_cast<uint64_t>(b.digit) + v : v);
}

template <class Bases>
Fields readEntry(const Bases& b, const uint8_t* p) {
  const uint8_t* start = p;
  Fields f;
  f.flags = *p++;
  f.ndigits = f.flags & kDeep ? getVarint(p) : 1;
  f.digits = p;
  for (uint64_t i = 0; i < f.ndigits; i++) getVarint(p);
  f.origin = f.flags & kOtherOrigin ? static_cast<uint16_t>(getVarint(p)) : b.origin;
  f.seq = b.seq + unzigzag(getVarint(p));
  f.hlc = b.hlc + unzigzag(getVarint(p));
  f.writer = f.flags & kOtherWriter ? static_cast<uint16_t>(getVarint(p)) : f.origin;
  uint64_t len = f.flags >> kLenShift;
  if (len == kLongLen) len = getVarint(p);
  f.val = std::string_view(reinterpret_cast<const char*>(p), len);
  size_t body = static_cast<size_t>(p - start) + len;
  f.size = static_cast<uint32_t>(body + varintSize(body));
  return f;
}

// The entry's order against pos: negative when the entry comes first.
template <class Bases>
int compareEntry(const Bases& b, const uint8_t* p, const ListPos& pos) {
  uint8_t flags = *p++;
  uint64_t n = flags & kDeep ? getVarint(p) : 1;
  size_t m = pos.digits.size();
  for (uint64_t i = 0; i < n; i++) {
    if (i == m) return 1;  // pos is a prefix of the entry's position
    int64_t d = digitOf(b, i, getVarint(p));
    if (d != pos.digits[i]) return d < pos.digits[i] ? -1 : 1;
  }
  if (n < m) return -1;
  uint16_t origin = flags & kOtherOrigin ? static_cast<uint16_t>(getVarint(p)) : b.origin;
  Dot dot = makeDot(origin, b.seq + unzigzag(getVarint(p)));
  return dot < pos.cdot ? -1 : dot > pos.cdot ? 1 : 0;
}

// Writes an entry's fields to a sink that counts (Count) or stores (Store) the bytes.
struct Count {
  size_t n = 0;
  void byte(uint8_t) { n++; }
  void varint(uint64_t v) { n += varintSize(v); }
  void raw(std::string_view s) { n += s.size(); }
};
struct Store {
  uint8_t* p;
  void byte(uint8_t b) { *p++ = b; }
  void varint(uint64_t v) {
    for (; v >= 0x80; v >>= 7) *p++ = static_cast<uint8_t>(v | 0x80);
    *p++ = static_cast<uint8_t>(v);
  }
  void raw(std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
};

template <class Bases, class Sink>
void emitBody(const Bases& b, const ListPos& pos, const ListElem& e, Sink& out) {
  size_t n = pos.digits.size(), len = e.val.size();
  uint16_t origin = dotOrigin(pos.cdot);
  out.byte(static_cast<uint8_t>((n != 1 ? kDeep : 0) | (origin != b.origin ? kOtherOrigin : 0) |
                                (e.writer != origin ? kOtherWriter : 0) |
                                (std::min<uint64_t>(len, kLongLen) << kLenShift)));
  if (n != 1) out.varint(n);
  for (size_t i = 0; i < n; i++)
    out.varint(zigzag(static_cast<uint64_t>(pos.digits[i]) - (i == 0 ? static_cast<uint64_t>(b.digit) : 0)));
  if (origin != b.origin) out.varint(origin);
  out.varint(zigzag(dotSeq(pos.cdot) - b.seq));
  out.varint(zigzag(e.hlc - b.hlc));
  if (e.writer != origin) out.varint(e.writer);
  if (len >= kLongLen) out.varint(len);
  out.raw(e.val.view());
}

template <class Bases>
uint32_t entrySize(const Bases& b, const ListPos& pos, const ListElem& e) {
  Count c;
  emitBody(b, pos, e, c);
  return static_cast<uint32_t>(c.n + varintSize(c.n));
}

template <class Bases>
void storeEntry(const Bases& b, const ListPos& pos, const ListElem& e, uint8_t* at) {
  Store s{at};
  emitBody(b, pos, e, s);
  size_t body = static_cast<size_t>(s.p - at), k = varintSize(body);
  for (size_t i = k; i-- > 0; body >>= 7) s.p[i] = static_cast<uint8_t>((body & 0x7f) | (i > 0 ? 0x80 : 0));
}

}  // namespace

// ---- iteration ----

const ListItem& ListSeq::Iter::operator*() const {
  if (!decoded_) {
    seq_->decode(chunk_, off_, item_);
    decoded_ = true;
  }
  return item_;
}

ListSeq::Iter& ListSeq::Iter::operator++() {
  const Chunk& ch = *seq_->chunks_[chunk_];
  off_ += readEntry(ch.bases, ch.bytes() + off_).size;
  if (off_ == ch.hi) {
    chunk_++;
    off_ = chunk_ < seq_->chunks_.size() ? seq_->chunks_[chunk_]->lo : 0;
  }
  decoded_ = false;
  return *this;
}

ListSeq::Iter& ListSeq::Iter::operator--() {
  if (chunk_ == seq_->chunks_.size() || off_ == seq_->chunks_[chunk_]->lo) off_ = seq_->chunks_[--chunk_]->hi;
  off_ -= entryBefore(seq_->chunks_[chunk_]->bytes() + off_);
  decoded_ = false;
  return *this;
}

ListSeq::Iter ListSeq::begin() const { return chunks_.empty() ? end() : Iter(this, 0, chunks_[0]->lo); }

void ListSeq::decode(size_t c, uint32_t off, ListItem& out) const {
  const Chunk& ch = *chunks_[c];
  Fields f = readEntry(ch.bases, ch.bytes() + off);
  const uint8_t* p = f.digits;
  if (f.ndigits == 1) {
    int64_t d = digitOf(ch.bases, 0, getVarint(p));
    out.pos.digits = PosDigits(&d, 1);
  } else {
    std::vector<int64_t> digits(f.ndigits);
    for (uint64_t i = 0; i < f.ndigits; i++) digits[i] = digitOf(ch.bases, i, getVarint(p));
    out.pos.digits = PosDigits(digits);
  }
  out.pos.cdot = makeDot(f.origin, f.seq);
  out.elem = ListElemRef{f.hlc, f.writer, f.val};
}

ListSeq::Iter ListSeq::at(size_t index) const {
  size_t c = 0, k;  // the k-th entry of chunk c
  if (index <= size_ / 2) {
    while (index >= chunks_[c]->count) index -= chunks_[c++]->count;
    k = index;
  } else {
    size_t fromEnd = size_ - index;  // >= 1
    c = chunks_.size() - 1;
    while (fromEnd > chunks_[c]->count) fromEnd -= chunks_[c--]->count;
    k = chunks_[c]->count - fromEnd;
  }
  const Chunk& ch = *chunks_[c];
  uint32_t off;
  if (k <= ch.count / 2) {
    off = ch.lo;
    for (size_t i = 0; i < k; i++) off += readEntry(ch.bases, ch.bytes() + off).size;
  } else {
    off = ch.hi;
    for (size_t i = k; i < ch.count; i++) off -= entryBefore(ch.bytes() + off);
  }
  return Iter(this, c, off);
}

// ---- chunks ----

void ListSeq::FreeChunk::operator()(Chunk* c) const { std::free(c); }

ListSeq::ChunkPtr ListSeq::makeChunk(size_t cap, const Bases& bases) {
  if (cap > UINT32_MAX - sizeof(Chunk)) throw std::bad_alloc();
  void* p = std::malloc(sizeof(Chunk) + cap);
  if (!p) throw std::bad_alloc();
  return ChunkPtr(new (p) Chunk{0, 0, static_cast<uint32_t>(cap), 0, bases});
}

size_t ListSeq::chunkBytes() const {
  size_t n = 0;
  for (const ChunkPtr& c : chunks_) n += sizeof(Chunk) + c->cap;
  return n;
}

// The ends first: pushes go there, and bisecting would touch a chunk per step.
size_t ListSeq::chunkFor(const ListPos& pos) const {
  auto last = [](const Chunk& ch) { return ch.bytes() + ch.hi - entryBefore(ch.bytes() + ch.hi); };
  size_t n = chunks_.size();
  if (compareEntry(chunks_[0]->bases, last(*chunks_[0]), pos) >= 0) return 0;
  if (compareEntry(chunks_[n - 1]->bases, chunks_[n - 1]->bytes() + chunks_[n - 1]->lo, pos) <= 0) return n - 1;
  size_t a = 1, b = n - 1;  // the first chunk whose last is not below pos, in [1, n-1]
  while (a < b) {
    size_t mid = (a + b) / 2;
    if (compareEntry(chunks_[mid]->bases, last(*chunks_[mid]), pos) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

// The chunk's last entry first (pushes at the tail go after it), then a scan from its head.
ListSeq::Place ListSeq::locate(const ListPos& pos) const {
  if (chunks_.empty()) return Place{};
  size_t c = chunkFor(pos);
  const Chunk& ch = *chunks_[c];
  const uint8_t* b = ch.bytes();
  uint32_t last = ch.hi - entryBefore(b + ch.hi);
  int cmp = compareEntry(ch.bases, b + last, pos);
  if (cmp <= 0) return Place{c, cmp == 0 ? last : ch.hi, cmp == 0};
  for (uint32_t off = ch.lo; off < last; off += readEntry(ch.bases, b + off).size) {
    cmp = compareEntry(ch.bases, b + off, pos);
    if (cmp >= 0) return Place{c, off, cmp == 0};
  }
  return Place{c, last, false};
}

ListElemRef ListSeq::elemAt(const Place& at) const {
  const Chunk& ch = *chunks_[at.chunk];
  Fields f = readEntry(ch.bases, ch.bytes() + at.off);
  return ListElemRef{f.hlc, f.writer, f.val};
}

// Shifts the shorter side that has room; a chunk without room moves to a block with room
// for as much again (at most kChunkBytes more), on the side that is filling.
uint32_t ListSeq::openAt(size_t c, uint32_t off, uint32_t size) {
  Chunk& ch = *chunks_[c];
  uint8_t* b = ch.bytes();
  uint32_t below = off - ch.lo, above = ch.hi - off;
  bool roomDown = ch.lo >= size, roomUp = ch.cap - ch.hi >= size;
  if (roomDown && (below <= above || !roomUp)) {
    std::memmove(b + ch.lo - size, b + ch.lo, below);
    ch.lo -= size;
    return off - size;
  }
  if (roomUp) {
    std::memmove(b + off + size, b + off, above);
    ch.hi += size;
    return off;
  }
  size_t need = size_t{below} + above + size, cap = need + std::min<size_t>(need, kChunkBytes);
  size_t lo = below == 0 ? cap - need : above == 0 ? 0 : (cap - need) / 2;
  ChunkPtr bigger = makeChunk(cap, ch.bases);
  std::memcpy(bigger->bytes() + lo, b + ch.lo, below);
  std::memcpy(bigger->bytes() + lo + below + size, b + off, above);
  bigger->lo = static_cast<uint32_t>(lo);
  bigger->hi = static_cast<uint32_t>(lo + need);
  bigger->count = ch.count;
  chunks_[c] = std::move(bigger);
  return static_cast<uint32_t>(lo + below);
}

bool ListSeq::full(size_t c, const ListPos& pos, const ListElem& elem) const {
  const Chunk& ch = *chunks_[c];
  return ch.count >= kChunk || (ch.count > 0 && ch.hi - ch.lo + entrySize(ch.bases, pos, elem) > kChunkBytes);
}

uint32_t ListSeq::removeAt(size_t c, uint32_t off) {
  Chunk& ch = *chunks_[c];
  uint8_t* b = ch.bytes();
  uint32_t size = readEntry(ch.bases, b + off).size, below = off - ch.lo, above = ch.hi - off - size;
  ch.count--;
  size_--;
  if (below < above) {
    std::memmove(b + ch.lo + size, b + ch.lo, below);
    ch.lo += size;
    return off + size;
  }
  std::memmove(b + off, b + off + size, above);
  ch.hi -= size;
  return off;
}

void ListSeq::split(size_t c) {
  Chunk& full = *chunks_[c];
  uint32_t mid = full.lo;
  for (uint32_t i = 0; i < full.count / 2; i++) mid += readEntry(full.bases, full.bytes() + mid).size;
  size_t moved = full.hi - mid, cap = moved + std::min<size_t>(moved, kChunkBytes);
  ChunkPtr fresh = makeChunk(cap, full.bases);
  fresh->lo = static_cast<uint32_t>((cap - moved) / 2);
  fresh->hi = static_cast<uint32_t>(fresh->lo + moved);
  fresh->count = full.count - full.count / 2;
  std::memcpy(fresh->bytes() + fresh->lo, full.bytes() + mid, moved);
  full.hi = mid;
  full.count /= 2;
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c + 1), std::move(fresh));
}

// ---- changes ----

void ListSeq::insertAt(const Place& at, const ListPos& pos, const ListElem& elem) {
  size_t c = at.chunk;
  uint32_t off = at.off;
  Bases own{pos.digits.size() ? pos.digits[0] : 0, dotSeq(pos.cdot), elem.hlc, dotOrigin(pos.cdot)};
  if (chunks_.empty()) {
    size_t size = entrySize(own, pos, elem), cap = std::max(kFirstBytes, size + std::min<size_t>(size, kChunkBytes));
    chunks_.push_back(makeChunk(cap, own));
    c = 0;
    off = chunks_[0]->lo = chunks_[0]->hi = static_cast<uint32_t>((cap + size) / 2);  // the entry centred
  } else if (full(c, pos, elem)) {
    Chunk& ch = *chunks_[c];
    if (off == ch.lo && c > 0 && !full(c - 1, pos, elem)) {
      // Between two chunks (locate() names the later one): the earlier one has room. A run
      // inserted in list order here (LPUSH of many values) fills it.
      off = chunks_[--c]->hi;
    } else if (off == ch.lo || off == ch.hi) {
      // At the edge of a full chunk (a run of pushes at an end, most often): a new chunk
      // there, with the room of the full one (a run goes on alike), filled from its far side.
      bool before = off == ch.lo;
      size_t cap = std::max<size_t>(entrySize(own, pos, elem), size_t{std::min(ch.hi - ch.lo, kChunkBytes)} * 9 / 8);
      c = before ? c : c + 1;
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c), makeChunk(cap, own));
      off = chunks_[c]->lo = chunks_[c]->hi = before ? static_cast<uint32_t>(cap) : 0;
    } else {
      split(c);
      if (off > chunks_[c]->hi) off = off - chunks_[c]->hi + chunks_[c + 1]->lo, c++;
    }
  }
  uint32_t size = entrySize(chunks_[c]->bases, pos, elem);
  off = openAt(c, off, size);
  Chunk& ch = *chunks_[c];
  storeEntry(ch.bases, pos, elem, ch.bytes() + off);
  ch.count++;
  size_++;
}

void ListSeq::replaceAt(const Place& at, const ListPos& pos, const ListElem& elem) {
  Chunk& ch = *chunks_[at.chunk];
  uint32_t size = entrySize(ch.bases, pos, elem);
  if (readEntry(ch.bases, ch.bytes() + at.off).size == size) return storeEntry(ch.bases, pos, elem, ch.bytes() + at.off);
  insertAt(Place{at.chunk, removeAt(at.chunk, at.off), false}, pos, elem);
}

bool ListSeq::erase(const ListPos& pos) {
  Place at = locate(pos);
  if (!at.found) return false;
  removeAt(at.chunk, at.off);
  if (chunks_[at.chunk]->count == 0) chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(at.chunk));
  return true;
}

void ListSeq::eraseIf(const std::function<bool(const ListItem&)>& f) {
  ListItem item;
  for (size_t c = 0; c < chunks_.size();) {
    Chunk& ch = *chunks_[c];
    uint8_t* b = ch.bytes();
    uint32_t kept = ch.lo;
    for (uint32_t off = ch.lo; off < ch.hi;) {
      uint32_t size = readEntry(ch.bases, b + off).size;
      decode(c, off, item);
      if (f(item)) {
        ch.count--;
        size_--;
      } else {
        if (kept != off) std::memmove(b + kept, b + off, size);
        kept += size;
      }
      off += size;
    }
    ch.hi = kept;
    if (ch.count == 0) chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
    else c++;
  }
}

}  // namespace raa
