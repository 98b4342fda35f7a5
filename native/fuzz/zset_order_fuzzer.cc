// libFuzzer target: a zset's order (ZOrder) under arbitrary inserts, erases, re-numberings
// and queries, checked after every step against a sorted vector of the same items. Scores
// come from a few bits, so ties (broken by names) are common; member names are the member
// map's, which moves its last member into an erased one's index as a zset's does.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "crdt/cell_map.h"
#include "crdt/zset_order.h"

using namespace raa;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  fprintf(stderr, "zset_order_fuzzer: %s\n", what);
  abort();
}

struct Model {
  CellMap members;
  ZOrder order{members};
  std::vector<double> score;   // by member index; NaN: not in the order
  std::vector<std::pair<double, std::string>> sorted;

  std::string name(uint32_t i) const { return members.begin()[i].name.str(); }
  bool placed(uint32_t i) const { return score[i] == score[i]; }
  size_t rank(double s, const std::string& n) const {
    return static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(s, n)) - sorted.begin());
  }
  void place(uint32_t i, double s) {
    order.insert(s, i);
    score[i] = s;
    sorted.insert(sorted.begin() + static_cast<std::ptrdiff_t>(rank(s, name(i))), {s, name(i)});
  }
  void unplace(uint32_t i) {
    check(order.erase(score[i], i), "erase did not find a placed member");
    sorted.erase(sorted.begin() + static_cast<std::ptrdiff_t>(rank(score[i], name(i))));
    score[i] = __builtin_nan("");
  }
  // The member map's erase: the last member moves into index i.
  void drop(uint32_t i) {
    if (placed(i)) unplace(i);
    uint32_t last = static_cast<uint32_t>(members.size() - 1);
    if (i != last && placed(last)) order.renumber(score[last], last, i);
    score[i] = score[last];
    score.pop_back();
    members.eraseMovingLast(members.begin() + i);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Model m;
  uint32_t nameSeq = 0;
  for (size_t p = 0; p + 2 < size; p += 3) {
    uint8_t op = data[p] % 8, a = data[p + 1], b = data[p + 2];
    double s = static_cast<double>(b % 16) - 4;
    size_t n = m.members.size();
    if (op <= 2 || n == 0) {
      // Add a batch of members: trees of several levels from short inputs.
      for (int k = 0; k <= a % 64; k++) {
        std::string nm = std::to_string((nameSeq++ * 7919u) % 100000u);
        if (m.members.find(nm)) continue;
        m.members.add(nm);
        m.score.push_back(__builtin_nan(""));
        m.place(static_cast<uint32_t>(m.members.size() - 1), static_cast<double>((b + k * 13) % 16) - 4);
      }
    } else {
      uint32_t i = static_cast<uint32_t>(a * 257u % n);
      if (op == 3) {  // re-place at a new score, or place an unplaced member
        if (m.placed(i)) m.unplace(i);
        m.place(i, s);
      } else if (op == 4) {
        if (m.placed(i)) m.unplace(i);
      } else if (op == 5) {
        // Drop a run of members, as ZREM of many.
        for (int k = 0; k <= b % 48 && m.members.size() > 0; k++)
          m.drop(static_cast<uint32_t>((i + k * 31u) % m.members.size()));
      } else if (op == 6) {
        std::string nm = m.name(i);
        check(m.order.bound(s, nm, false) == m.rank(s, nm), "lower bound");
        size_t upper = static_cast<size_t>(
            std::upper_bound(m.sorted.begin(), m.sorted.end(), std::make_pair(s, nm)) - m.sorted.begin());
        check(m.order.bound(s, nm, true) == upper, "upper bound");
        check(m.order.bound(s, "", false) == m.rank(s, ""), "score bound");
      } else if (m.placed(i)) {
        check(m.order.rankOf(m.score[i], i) == m.rank(m.score[i], m.name(i)), "rank");
      }
    }
    check(m.order.size() == m.sorted.size(), "size");
    if (!m.sorted.empty()) {
      size_t r = (a * 131u + b) % m.sorted.size();
      const ZOrder::Item& it = *m.order.at(r);
      check(it.score == m.sorted[r].first && m.name(it.member) == m.sorted[r].second, "item at rank");
      check(m.order.front().score == m.sorted.front().first && m.order.back().score == m.sorted.back().first, "ends");
    }
  }
  // A full walk both ways.
  if (!m.sorted.empty()) {
    ZOrder::Cursor c = m.order.at(0);
    for (size_t r = 0; r < m.sorted.size(); r++, ++c)
      check(m.name(c->member) == m.sorted[r].second && c->score == m.sorted[r].first, "forward walk");
    c = m.order.at(m.sorted.size() - 1);
    for (size_t r = m.sorted.size(); r-- > 0;) {
      check(m.name(c->member) == m.sorted[r].second, "backward walk");
      if (r > 0) --c;
    }
  }
  return 0;
}
