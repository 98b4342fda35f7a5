#include "clock.h"

#include <algorithm>

namespace raa {

CausalContext::Origin& CausalContext::findOrAdd(uint16_t id) {
  for (Origin& o : origins_)
    if (o.id == id) return o;
  origins_.push_back(Origin{id, 0, {}});
  std::sort(origins_.begin(), origins_.end(), [](const Origin& a, const Origin& b) { return a.id < b.id; });
  for (Origin& o : origins_)
    if (o.id == id) return o;
  return origins_.back();  // unreachable
}

void CausalContext::add(Dot d) {
  Origin& o = findOrAdd(dotOrigin(d));
  uint64_t s = dotSeq(d);
  if (s <= o.contiguous) return;
  if (s != o.contiguous + 1) {
    o.cloud.insert(s);
    return;
  }
  o.contiguous = s;
  // The gap closed: absorb the cloud's run that now follows.
  while (!o.cloud.empty() && *o.cloud.begin() <= o.contiguous + 1) {
    o.contiguous = std::max(o.contiguous, *o.cloud.begin());
    o.cloud.erase(o.cloud.begin());
  }
}

uint64_t CausalContext::maxSeq(uint16_t id) const {
  const Origin* o = find(id);
  if (!o) return 0;
  return o->cloud.empty() ? o->contiguous : std::max(o->contiguous, *o->cloud.rbegin());
}

size_t CausalContext::cloudSize() const {
  size_t n = 0;
  for (const Origin& o : origins_) n += o.cloud.size();
  return n;
}

void CausalContext::merge(const CausalContext& other) {
  for (const Origin& src : other.origins_) {
    Origin& o = findOrAdd(src.id);
    if (src.contiguous > o.contiguous) {
      o.contiguous = src.contiguous;
      o.cloud.erase(o.cloud.begin(), o.cloud.upper_bound(o.contiguous));
    }
    for (uint64_t s : src.cloud) add(makeDot(src.id, s));
    // add() may not absorb a cloud that became contiguous through the raised floor.
    while (!o.cloud.empty() && *o.cloud.begin() <= o.contiguous + 1) {
      o.contiguous = std::max(o.contiguous, *o.cloud.begin());
      o.cloud.erase(o.cloud.begin());
    }
  }
}

void CausalContext::restoreOrigin(Origin o) {
  Origin& dst = findOrAdd(o.id);
  dst.contiguous = o.contiguous;
  dst.cloud = std::move(o.cloud);
}

}  // namespace raa
