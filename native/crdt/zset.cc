#include "zset.h"

#include <cstring>

namespace raa {

long double zsetScoreExact(const Cell& c) {
  double base = 0;
  if (const Entry* w = c.winner())
    if (w->val.size() == 8) std::memcpy(&base, w->val.data(), 8);
  return c.counters ? base + c.counters->sumFloat() : base;
}

double zsetScore(const Cell& c) { return static_cast<double>(zsetScoreExact(c)); }

bool ZSetVal::settle(uint32_t index, bool wasVisible, double oldScore) {
  const Cell& cell = members_.begin()[index].cell;
  bool visible = cell.visible();
  double score = visible ? zsetScore(cell) : 0;
  // Re-placed only when its place changes (a ZADD of the same score is common).
  bool moved = wasVisible != visible || score != oldScore;
  if (wasVisible && moved) order_.erase(oldScore, index);
  if (visible && moved) order_.insert(score, index);
  if (!cell.isEmpty()) return false;
  // An empty cell is not visible, so not in the order; the last member takes its index.
  uint32_t last = static_cast<uint32_t>(members_.size() - 1);
  const Cell& lastCell = members_.begin()[last].cell;
  if (index != last && lastCell.visible()) order_.renumber(zsetScore(lastCell), last, index);
  members_.eraseMovingLast(members_.begin() + index);
  return true;
}

}  // namespace raa
