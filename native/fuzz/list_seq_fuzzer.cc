// libFuzzer target: a list's packed chunks (ListSeq) under arbitrary inserts, value
// replacements, erases and filtered erases, checked after every step against a sorted vector
// of the same elements, walked both ways and by index. Positions come from a few bits, so
// prefixes, equal digits with other dots and other origins are common; digits near +-2^63,
// long values (beyond the flags' length field, and beyond a chunk's byte budget) and writers
// other than the dot's origin exercise every field of an entry.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "crdt/list_seq.h"

using namespace raa;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  fprintf(stderr, "list_seq_fuzzer: %s\n", what);
  abort();
}

struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  uint8_t byte() { return p < end ? *p++ : 0; }
  bool done() const { return p >= end; }
};

int64_t digitFrom(uint8_t b) {
  switch (b % 8) {
    case 0: return INT64_MIN + (b >> 3);
    case 1: return INT64_MAX - (b >> 3);
    default: return static_cast<int64_t>(b >> 3) - 16;
  }
}

ListPos posFrom(Reader& in) {
  uint8_t shape = in.byte();
  std::vector<int64_t> digits(1 + shape % 3);
  for (int64_t& d : digits) d = digitFrom(in.byte());
  ListPos pos;
  pos.digits = PosDigits(digits);
  pos.cdot = makeDot(static_cast<uint16_t>(1 + (shape >> 2) % 3), (shape >> 4) * 1000003ull);
  return pos;
}

ListElem elemFrom(Reader& in, uint16_t origin) {
  uint8_t shape = in.byte();
  ListElem e;
  e.hlc = (static_cast<uint64_t>(in.byte()) << (shape % 4 * 16)) ^ 0x5555;
  e.writer = shape & 4 ? static_cast<uint16_t>(shape >> 3) : origin;
  size_t len = shape & 8 ? (shape & 16 ? 700 : 31 + in.byte() % 8) : in.byte() % 20;
  e.val = SmallString(std::string(len, static_cast<char>('a' + shape % 26)));
  return e;
}

bool same(const ListItem& it, const std::pair<ListPos, ListElem>& m) {
  return it.pos == m.first && it.elem.hlc == m.second.hlc && it.elem.writer == m.second.writer &&
         it.elem.val == m.second.val.view();
}

struct Model {
  ListSeq seq;
  std::vector<std::pair<ListPos, ListElem>> sorted;

  size_t rank(const ListPos& pos) const {
    return static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), pos,
                                                [](const auto& m, const ListPos& p) { return m.first < p; }) -
                               sorted.begin());
  }
  bool has(size_t r, const ListPos& pos) const { return r < sorted.size() && sorted[r].first == pos; }

  // A join of one element: added when new, its value replaced when present.
  void put(const ListPos& pos, const ListElem& e) {
    size_t r = rank(pos);
    ListSeq::Place at = seq.locate(pos);
    check(at.found == has(r, pos), "locate found");
    if (at.found) {
      ListElemRef old = seq.elemAt(at);
      check(old.hlc == sorted[r].second.hlc && old.val == sorted[r].second.val.view(), "element at a found place");
      seq.replaceAt(at, pos, e);
      sorted[r].second = e;
    } else {
      seq.insertAt(at, pos, e);
      sorted.insert(sorted.begin() + static_cast<std::ptrdiff_t>(r), {pos, e});
    }
  }

  void verify(uint8_t salt) const {
    check(seq.size() == sorted.size() && seq.empty() == sorted.empty(), "size");
    size_t r = 0;
    for (const ListItem& it : seq) check(r < sorted.size() && same(it, sorted[r++]), "forward walk");
    check(r == sorted.size(), "forward walk length");
    for (auto it = seq.end(); it != seq.begin();) check(same(*--it, sorted[--r]), "backward walk");
    if (!sorted.empty()) {
      size_t i = salt * 7919u % sorted.size();
      check(same(*seq.at(i), sorted[i]), "element at an index");
      check(same(*seq.at(sorted.size() - 1 - i), sorted[sorted.size() - 1 - i]), "element at an index from the end");
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Model m;
  Reader in{data, data + size};
  while (!in.done()) {
    uint8_t op = in.byte();
    switch (op % 6) {
      case 0:
      case 1: {  // one element anywhere
        ListPos pos = posFrom(in);
        m.put(pos, elemFrom(in, dotOrigin(pos.cdot)));
        break;
      }
      case 2: {  // a run of pushes at one end: one by one, or as one LPUSH of many (list order)
        bool head = op & 8, listOrder = op & 4;
        int64_t edge = m.sorted.empty() ? 0 : (head ? m.sorted.front() : m.sorted.back()).first.digits[0];
        ListElem e = elemFrom(in, 1);
        int n = 1 + op / 16 * 9;
        for (int k = 0; k < n; k++) {
          ListPos pos;
          int64_t d, step = head && listOrder ? n - k : 1 + k;
          if (__builtin_add_overflow(edge, head ? -step : step, &d)) break;
          pos.digits = PosDigits(&d, 1);
          pos.cdot = makeDot(1, 5000000 + m.sorted.size());
          e.hlc++;
          if (m.rank(pos) == m.sorted.size() || !(m.sorted[m.rank(pos)].first == pos)) m.put(pos, e);
        }
        break;
      }
      case 3: {  // erase an element, or a position that is not there
        if (m.sorted.empty() || op & 8) {
          ListPos pos = posFrom(in);
          size_t r = m.rank(pos);
          bool had = m.has(r, pos);
          check(m.seq.erase(pos) == had, "erase of a random position");
          if (had) m.sorted.erase(m.sorted.begin() + static_cast<std::ptrdiff_t>(r));
        } else {
          size_t r = in.byte() * 257u % m.sorted.size();
          check(m.seq.erase(m.sorted[r].first), "erase of a present position");
          m.sorted.erase(m.sorted.begin() + static_cast<std::ptrdiff_t>(r));
        }
        break;
      }
      case 4: {  // a new value for a present element (LSET)
        if (m.sorted.empty()) break;
        ListPos pos = m.sorted[in.byte() * 131u % m.sorted.size()].first;
        m.put(pos, elemFrom(in, dotOrigin(pos.cdot)));
        break;
      }
      default: {  // drop the elements whose dot's sequence has a bit (a full sync's join)
        uint64_t bit = uint64_t{1} << (in.byte() % 8);
        auto gone = [&](const ListPos& p) { return (dotSeq(p.cdot) / 1000003ull) & bit; };
        m.seq.eraseIf([&](const ListItem& it) { return gone(it.pos); });
        m.sorted.erase(std::remove_if(m.sorted.begin(), m.sorted.end(), [&](const auto& e) { return gone(e.first); }),
                       m.sorted.end());
      }
    }
    m.verify(op);
  }
  check(m.sorted.empty() == (m.seq.chunkBytes() == 0), "chunk bytes");
  return 0;
}
