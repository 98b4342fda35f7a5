#include "zset.h"

#include <cmath>
#include <cstring>

namespace raa {

// Never NaN, which would break the order's comparisons: no local write makes one (ZINCRBY
// refuses a NaN result, an infinite target is written as a ZADD), but the counters of a
// corrupt or hostile peer could sum to inf - inf. Such a member shows 0.
long double zsetScoreExact(const Cell& c) {
  double base = 0;
  if (const Entry* w = c.winner())
    if (w->val.size() == 8) std::memcpy(&base, w->val.data(), 8);
  long double s = c.counters ? base + c.counters->sumFloat() : base;
  return std::isnan(s) ? 0 : s;
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
