#include "cell.h"

#include <cmath>
#include <cstring>

namespace raa {

Counter* Counters::find(uint16_t origin) {
  for (Counter& c : byOrigin)
    if (c.origin == origin) return &c;
  return nullptr;
}

Counter& Counters::findOrAdd(uint16_t origin) {
  auto it = byOrigin.begin();
  while (it != byOrigin.end() && it->origin < origin) ++it;
  if (it != byOrigin.end() && it->origin == origin) return *it;
  Counter c;
  c.origin = origin;
  return *byOrigin.insert(it, c);
}

bool Counters::anyFloat() const {
  for (const Counter& c : byOrigin)
    if (c.visibleFloat() != 0) return true;
  return false;
}

__int128 Counters::sumInt() const {
  __int128 s = 0;
  for (const Counter& c : byOrigin) s += c.visibleInt();
  return s;
}

long double Counters::sumFloat() const {
  long double s = 0;
  for (const Counter& c : byOrigin) s += c.visibleFloat();
  return s;
}

// Both halves of a counter are join-semilattices ordered by (incarnation, version): the
// running total and the observed baseline each keep the newer of the two.
void joinCounter(Counters& mine, const Counter& t, bool total, bool baseline) {
  Counter* c = &mine.findOrAdd(t.origin);
  if (total && (t.inc > c->inc || (t.inc == c->inc && t.seq > c->seq))) {
    c->inc = t.inc;
    c->seq = t.seq;
    c->ti = t.ti;
    c->tf = t.tf;
  }
  if (baseline &&
      (t.binc > c->binc || (t.binc == c->binc && (t.bseq > c->bseq || (t.bseq == c->bseq && t.bdot > c->bdot))))) {
    c->binc = t.binc;
    c->bseq = t.bseq;
    c->bti = t.bti;
    c->btf = t.btf;
    c->bdot = t.bdot;
  }
}

const Entry* Cell::winner() const {
  const Entry* best = nullptr;
  for (const Entry& e : entries) {
    if (!e.hasValue()) continue;
    if (!best || stampWins(e.stamp(), dotOrigin(e.dot), best->stamp(), dotOrigin(best->dot))) best = &e;
  }
  return best;
}

void Cell::coverAll(CellDelta& d) const {
  for (const Entry& e : entries) d.covered.push_back(e.dot);
  if (!counters) return;
  for (const Counter& c : counters->byOrigin) {
    Counter reset = c;
    reset.binc = c.inc;
    reset.bseq = c.seq;
    reset.bti = c.ti;
    reset.btf = c.tf;
    reset.bdot = kPendingResetDot;
    d.counters.push_back(reset);
  }
}

void Cell::toDelta(CellDelta& d) const {
  d.add.clear();
  d.add.reserve(entries.size());
  for (const Entry& e : entries) d.add.push_back(e);
  if (counters) d.counters = counters->byOrigin;
}

size_t EntryList::heapBytes() const {
  size_t n = rest_ ? sizeof(*rest_) + rest_->capacity() * sizeof(Entry) : 0;
  for (const Entry& e : *this)
    n += e.val.heapBytes();
  return n;
}

size_t Cell::memoryUsage() const {
  size_t n = entries.heapBytes();
  if (counters) n += sizeof(Counters) + counters->byOrigin.capacity() * sizeof(Counter);
  return n;
}

// 128-bit counts travel zigzag-encoded 7 bits a byte, as the 64-bit varints do: a count of
// a few thousand takes 2 bytes, not 16. 19 bytes hold all 128 bits.
static void putInt128(ByteWriter& w, __int128 v) {
  unsigned __int128 u = (static_cast<unsigned __int128>(v) << 1) ^ static_cast<unsigned __int128>(v >> 127);
  while (u >= 0x80) {
    w.u8(static_cast<uint8_t>(u) | 0x80);
    u >>= 7;
  }
  w.u8(static_cast<uint8_t>(u));
}
static __int128 getInt128(ByteReader& r) {
  unsigned __int128 u = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = r.u8();
    if (shift == 126 && b > 3) r.fail("128-bit varint too long");
    u |= static_cast<unsigned __int128>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  return static_cast<__int128>((u >> 1) ^ (~(u & 1) + 1));
}
// long double travels as its decimal text: portable between x86 (80-bit) and others.
static void putLongDouble(ByteWriter& w, long double v) {
  if (v == 0) {
    w.u8(0);
    return;
  }
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%.21Lg", v);
  w.u8(static_cast<uint8_t>(n));
  w.raw(std::string_view(buf, n));
}
static long double getLongDouble(ByteReader& r) {
  uint8_t n = r.u8();
  if (n == 0) return 0;
  if (n > 63) r.fail("bad float length");
  std::string s(r.raw(n));
  char* end = nullptr;
  long double v = strtold(s.c_str(), &end);
  if (end != s.c_str() + s.size() || std::isnan(v)) r.fail("bad float text");
  return v;
}

void CellDelta::encode(ByteWriter& w) const {
  w.varint(add.size());
  for (const Entry& e : add) {
    w.varint(e.dot);
    w.varint(e.hlc);
    if (e.hasValue()) w.bytes(e.val);
  }
  w.varint(covered.size());
  for (Dot d : covered) w.varint(d);
  w.varint(counters.size());
  for (const Counter& c : counters) {
    w.varint(c.origin);
    w.varint(c.inc);
    w.varint(c.seq);
    putInt128(w, c.ti);
    putLongDouble(w, c.tf);
    w.varint(c.binc);
    w.varint(c.bseq);
    putInt128(w, c.bti);
    putLongDouble(w, c.btf);
    w.varint(c.bdot);
  }
}

Dot readDot(ByteReader& r) {
  uint64_t d = r.varint();
  if (dotOrigin(d) == 0 || dotSeq(d) == 0 || (d >> kSeqBits) > 0xffff) r.fail("bad dot");
  return d;
}

void CellDelta::decode(ByteReader& r) {
  uint64_t n = r.count(2);
  add.resize(n);
  for (Entry& e : add) {
    e.dot = readDot(r);
    e.hlc = r.varint();
    if (e.hasValue()) e.val = SmallString(r.bytes());
  }
  n = r.count(1);
  covered.resize(n);
  for (Dot& d : covered) d = readDot(r);
  n = r.count(10);
  counters.resize(n);
  for (Counter& c : counters) {
    uint64_t origin = r.varint();
    if (origin == 0 || origin > 0xffff) r.fail("bad instance id in counter");
    c.origin = static_cast<uint16_t>(origin);
    c.inc = r.varint();
    c.seq = r.varint();
    c.ti = getInt128(r);
    c.tf = getLongDouble(r);
    c.binc = r.varint();
    c.bseq = r.varint();
    c.bti = getInt128(r);
    c.btf = getLongDouble(r);
    c.bdot = c.binc | c.bseq ? readDot(r) : r.varint();
    if (c.bdot == kPendingResetDot) r.fail("unassigned reset dot");
  }
}

}  // namespace raa
