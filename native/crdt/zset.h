// A sorted set's state: a cell per member, and the visible members in (score, member) order.
//
// The member cells live in a CellMap: a lookup reads a slot and one field, where a
// std::unordered_map missed on a bucket, on a node and on the name's heap block. The order
// (ZOrder) names members by their index in that map, so the two change together here only:
// a change to a member's cell re-places the member when its visible score moved, and
// erasing a member moves the last one into its index, which the order is told of.
#pragma once
#include <cstdint>
#include <string_view>

#include "cell_map.h"
#include "zset_order.h"

namespace raa {

// A member's score: the winning ZADD plus the ZINCRBY counts; exact (long double) or as stored.
long double zsetScoreExact(const Cell& c);
double zsetScore(const Cell& c);

class ZSetVal {
 public:
  using Field = CellMap::Field;

  ZSetVal() : order_(members_) {}
  ZSetVal(const ZSetVal&) = delete;
  ZSetVal& operator=(const ZSetVal&) = delete;

  // Every member cell, visible or not (tombstones keep counters). The map's `live` count is
  // not kept: the order's size is the number of visible members.
  const CellMap& members() const { return members_; }
  const ZOrder& order() const { return order_; }
  bool empty() const { return members_.empty(); }
  // The visible member named so, or null.
  const Field* live(std::string_view name) const {
    const Field* f = members_.find(name);
    return f && f->cell.visible() ? f : nullptr;
  }
  const Field& member(uint32_t index) const { return members_.begin()[index]; }
  std::string_view nameOf(const ZOrder::Item& item) const { return member(item.member).name.view(); }

  // Calls change(cell) on the member's cell, adding the member first when it is absent and
  // `create` is set; the order then follows the cell, and an emptied cell is erased.
  template <class F>
  void change(std::string_view name, bool create, const F& change);
  // The same for the member at an index. Returns whether it was erased: the last member
  // then took the index.
  template <class F>
  bool changeAt(uint32_t index, const F& change);
  // Calls f(name, score) on every visible member, in order.
  template <class F>
  void forEach(const F& f) const {
    ZOrder::Cursor c = order_.empty() ? ZOrder::Cursor() : order_.at(0);
    for (size_t i = 0; i < order_.size(); i++, ++c) f(nameOf(*c), c->score);
  }
  // Room for n members in all: a bulk write grows the map once.
  void reserve(size_t n) { members_.reserve(n); }

 private:
  bool settle(uint32_t index, bool wasVisible, double oldScore);

  CellMap members_;
  ZOrder order_;
};

template <class F>
void ZSetVal::change(std::string_view name, bool create, const F& change) {
  Field* f = members_.find(name);
  if (!f) {
    if (!create) return;
    f = &members_.add(name);
  }
  changeAt(static_cast<uint32_t>(f - members_.begin()), change);
}

template <class F>
bool ZSetVal::changeAt(uint32_t index, const F& change) {
  Cell& cell = members_.begin()[index].cell;
  bool wasVisible = cell.visible();
  double oldScore = wasVisible ? zsetScore(cell) : 0;
  change(cell);
  return settle(index, wasVisible, oldScore);
}

}  // namespace raa
