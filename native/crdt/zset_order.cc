#include "zset_order.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "cell_map.h"

namespace raa {

namespace {
constexpr uint32_t kLeafCap = 64;  // items in a leaf: 1 KB
constexpr uint32_t kFirstCap = 4;  // a zset's first leaf doubles up to kLeafCap: small zsets stay small
constexpr uint32_t kFan = 32;      // children of an inner node
}  // namespace

// A leaf's header; its `cap` items follow it in the same allocation. Only a root leaf (the
// only leaf) is ever smaller than kLeafCap.
struct ZOrder::Leaf {
  uint32_t n, cap;
  Leaf *prev, *next;
  Item* items() { return reinterpret_cast<Item*>(this + 1); }
  const Item* items() const { return reinterpret_cast<const Item*>(this + 1); }
};
static_assert(sizeof(ZOrder::Item) == 16, "items pack four to a cache line");

struct ZOrder::Inner {
  uint32_t n;
  void* child[kFan];
  uint64_t count[kFan];  // items under each child
  Item max[kFan];        // each child's greatest item
};

// What a search looks for: the first item at or above (score, name), or above it when `after`.
struct ZOrder::Key {
  double score;
  std::string_view name;
  bool after;
};

int ZOrder::compare(const Item& item, const Key& key) const {
  if (item.score != key.score) return item.score < key.score ? -1 : 1;
  return members_.begin()[item.member].name.view().compare(key.name);
}

uint32_t ZOrder::firstNotBelow(const Item* items, uint32_t n, const Key& key) const {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int c = compare(items[mid], key);
    if (key.after ? c <= 0 : c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

size_t ZOrder::countOf(const void* node, int height) {
  if (height == 0) return static_cast<const Leaf*>(node)->n;
  const Inner* in = static_cast<const Inner*>(node);
  size_t n = 0;
  for (uint32_t i = 0; i < in->n; i++) n += in->count[i];
  return n;
}

const ZOrder::Item& ZOrder::greatest(const void* node, int height) {
  if (height == 0) {
    const Leaf* l = static_cast<const Leaf*>(node);
    return l->items()[l->n - 1];
  }
  const Inner* in = static_cast<const Inner*>(node);
  return in->max[in->n - 1];
}

// ---- nodes ----

ZOrder::Leaf* ZOrder::newLeaf(uint32_t cap) {
  size_t bytes = sizeof(Leaf) + size_t{cap} * sizeof(Item);
  void* p = std::malloc(bytes);
  if (!p) throw std::bad_alloc();
  bytes_ += bytes;
  return new (p) Leaf{0, cap, nullptr, nullptr};
}

void ZOrder::freeLeaf(Leaf* leaf) {
  bytes_ -= sizeof(Leaf) + size_t{leaf->cap} * sizeof(Item);
  std::free(leaf);
}

ZOrder::Inner* ZOrder::newInner() {
  Inner* in = new Inner;
  in->n = 0;
  bytes_ += sizeof(Inner);
  return in;
}

void ZOrder::freeInner(Inner* in) {
  bytes_ -= sizeof(Inner);
  delete in;
}

void ZOrder::freeTree(void* node, int height) {
  if (height == 0) return freeLeaf(static_cast<Leaf*>(node));
  Inner* in = static_cast<Inner*>(node);
  for (uint32_t i = 0; i < in->n; i++) freeTree(in->child[i], height - 1);
  freeInner(in);
}

ZOrder::~ZOrder() {
  if (root_) freeTree(root_, height_);
}

// ---- reading ----

const ZOrder::Item& ZOrder::front() const { return first_->items()[0]; }
const ZOrder::Item& ZOrder::back() const { return last_->items()[last_->n - 1]; }

size_t ZOrder::bound(double score, std::string_view name, bool after) const {
  if (!root_) return 0;
  Key key{score, name, after};
  size_t rank = 0;
  const void* node = root_;
  for (int h = height_; h > 0; h--) {
    const Inner* in = static_cast<const Inner*>(node);
    uint32_t i = firstNotBelow(in->max, in->n, key);
    for (uint32_t j = 0; j < i; j++) rank += in->count[j];
    if (i == in->n) return rank;
    node = in->child[i];
  }
  const Leaf* l = static_cast<const Leaf*>(node);
  return rank + firstNotBelow(l->items(), l->n, key);
}

size_t ZOrder::rankOf(double score, uint32_t member) const {
  return bound(score, members_.begin()[member].name.view(), false);
}

ZOrder::Cursor ZOrder::at(size_t rank) const {
  const void* node = root_;
  for (int h = height_; h > 0; h--) {
    const Inner* in = static_cast<const Inner*>(node);
    uint32_t i = 0;
    while (i + 1 < in->n && rank >= in->count[i]) rank -= in->count[i++];
    node = in->child[i];
  }
  return Cursor(node, static_cast<uint32_t>(rank));
}

const ZOrder::Item& ZOrder::Cursor::operator*() const { return static_cast<const Leaf*>(leaf_)->items()[i_]; }

ZOrder::Cursor& ZOrder::Cursor::operator++() {
  const Leaf* l = static_cast<const Leaf*>(leaf_);
  if (++i_ == l->n && l->next) leaf_ = l->next, i_ = 0;
  return *this;
}

ZOrder::Cursor& ZOrder::Cursor::operator--() {
  if (i_ == 0) {
    const Leaf* prev = static_cast<const Leaf*>(leaf_)->prev;
    leaf_ = prev;
    i_ = prev->n;
  }
  i_--;
  return *this;
}

// ---- insert ----

void ZOrder::insert(double score, uint32_t member) {
  Item item{score, member};
  Key key{score, members_.begin()[member].name.view(), false};
  if (!root_) {
    root_ = first_ = last_ = newLeaf(kFirstCap);
    height_ = 0;
  } else if (height_ == 0) {
    Leaf* l = static_cast<Leaf*>(root_);
    if (l->n == l->cap && l->cap < kLeafCap) {
      Leaf* bigger = newLeaf(l->cap * 2);
      std::memcpy(static_cast<void*>(bigger->items()), l->items(), l->n * sizeof(Item));
      bigger->n = l->n;
      freeLeaf(l);
      root_ = first_ = last_ = bigger;
    }
  }
  if (void* split = insertInto(root_, height_, item, key)) {
    Inner* top = newInner();
    addChild(top, 0, root_, height_);
    addChild(top, 1, split, height_);
    root_ = top;
    height_++;
  }
  size_++;
}

// Inserts into the subtree of the given height; returns the new right sibling when the node split.
void* ZOrder::insertInto(void* node, int height, const Item& item, const Key& key) {
  if (height == 0) return insertIntoLeaf(static_cast<Leaf*>(node), item, key);
  Inner* in = static_cast<Inner*>(node);
  uint32_t i = firstNotBelow(in->max, in->n, key);
  if (i == in->n) i--;  // above everything here: the last child takes it
  void* split = insertInto(in->child[i], height - 1, item, key);
  in->max[i] = greatest(in->child[i], height - 1);
  if (!split) {
    in->count[i]++;
    return nullptr;
  }
  in->count[i] = countOf(in->child[i], height - 1);
  return addChild(in, i + 1, split, height - 1);
}

ZOrder::Leaf* ZOrder::insertIntoLeaf(Leaf* l, const Item& item, const Key& key) {
  uint32_t pos = firstNotBelow(l->items(), l->n, key);
  Leaf* right = nullptr;
  Leaf* target = l;
  if (l->n == l->cap) {  // a full leaf of kLeafCap: insert() grew a smaller root leaf first
    right = newLeaf(kLeafCap);
    // Ascending inserts at the end of the order (time stamps as scores) leave full leaves
    // behind them rather than half-full ones; descending inserts at its start likewise.
    uint32_t keep = !l->next && pos == l->n ? l->n : !l->prev && pos == 0 ? 0 : l->n / 2;
    bool toRight = pos > keep || keep == l->n;
    right->n = l->n - keep;
    std::memcpy(static_cast<void*>(right->items()), l->items() + keep, right->n * sizeof(Item));
    l->n = keep;
    right->prev = l;
    right->next = l->next;
    (l->next ? l->next->prev : last_) = right;
    l->next = right;
    if (toRight) target = right, pos -= keep;
  }
  Item* items = target->items();
  std::memmove(static_cast<void*>(items + pos + 1), items + pos, (target->n - pos) * sizeof(Item));
  items[pos] = item;
  target->n++;
  return right;
}

// Puts a child at index `at` of an inner node, splitting the node when it is full; returns
// the new right half then.
ZOrder::Inner* ZOrder::addChild(Inner* in, uint32_t at, void* child, int childHeight) {
  Inner* right = nullptr;
  Inner* target = in;
  if (in->n == kFan) {
    right = newInner();
    uint32_t half = kFan / 2;
    right->n = kFan - half;
    std::memcpy(right->child, in->child + half, right->n * sizeof(void*));
    std::memcpy(right->count, in->count + half, right->n * sizeof(uint64_t));
    std::memcpy(static_cast<void*>(right->max), in->max + half, right->n * sizeof(Item));
    in->n = half;
    if (at > half) target = right, at -= half;
  }
  uint32_t n = target->n - at;
  std::memmove(target->child + at + 1, target->child + at, n * sizeof(void*));
  std::memmove(target->count + at + 1, target->count + at, n * sizeof(uint64_t));
  std::memmove(static_cast<void*>(target->max + at + 1), target->max + at, n * sizeof(Item));
  target->child[at] = child;
  target->count[at] = countOf(child, childHeight);
  target->max[at] = greatest(child, childHeight);
  target->n++;
  return right;
}

// ---- erase ----

bool ZOrder::erase(double score, uint32_t member) {
  if (!root_) return false;
  Key key{score, members_.begin()[member].name.view(), false};
  if (!eraseFrom(root_, height_, key, member)) return false;
  size_--;
  // A root with one child gives way to it; the last leaf shrinks with its items.
  while (height_ > 0 && static_cast<Inner*>(root_)->n == 1) {
    Inner* top = static_cast<Inner*>(root_);
    root_ = top->child[0];
    height_--;
    freeInner(top);
  }
  if (height_ == 0) {
    Leaf* l = static_cast<Leaf*>(root_);
    if (l->n == 0) {
      freeLeaf(l);
      root_ = first_ = last_ = nullptr;
    } else if (l->cap > kFirstCap && l->n * 4 <= l->cap) {
      Leaf* smaller = newLeaf(l->cap / 2);
      std::memcpy(static_cast<void*>(smaller->items()), l->items(), l->n * sizeof(Item));
      smaller->n = l->n;
      freeLeaf(l);
      root_ = first_ = last_ = smaller;
    }
  }
  return true;
}

bool ZOrder::eraseFrom(void* node, int height, const Key& key, uint32_t member) {
  if (height == 0) {
    Leaf* l = static_cast<Leaf*>(node);
    Item* items = l->items();
    uint32_t pos = firstNotBelow(items, l->n, key);
    if (pos == l->n || items[pos].member != member) return false;
    std::memmove(static_cast<void*>(items + pos), items + pos + 1, (l->n - pos - 1) * sizeof(Item));
    l->n--;
    return true;
  }
  Inner* in = static_cast<Inner*>(node);
  uint32_t i = firstNotBelow(in->max, in->n, key);
  if (i == in->n || !eraseFrom(in->child[i], height - 1, key, member)) return false;
  if (--in->count[i] == 0) {
    dropChild(in, i, height - 1);
    return true;
  }
  in->max[i] = greatest(in->child[i], height - 1);
  mergeSmall(in, i, height - 1);
  return true;
}

// Frees an emptied child and closes its gap.
void ZOrder::dropChild(Inner* in, uint32_t i, int childHeight) {
  if (childHeight == 0) {
    Leaf* l = static_cast<Leaf*>(in->child[i]);
    (l->prev ? l->prev->next : first_) = l->next;
    (l->next ? l->next->prev : last_) = l->prev;
    freeLeaf(l);
  } else {
    freeInner(static_cast<Inner*>(in->child[i]));
  }
  uint32_t n = in->n - i - 1;
  std::memmove(in->child + i, in->child + i + 1, n * sizeof(void*));
  std::memmove(in->count + i, in->count + i + 1, n * sizeof(uint64_t));
  std::memmove(static_cast<void*>(in->max + i), in->max + i + 1, n * sizeof(Item));
  in->n--;
}

// A child that erases left a quarter full or less merges with a neighbour when both fit in
// one node, so that a zset that shrank does not keep a node per few members.
void ZOrder::mergeSmall(Inner* in, uint32_t i, int childHeight) {
  if (in->n < 2) return;
  bool leaves = childHeight == 0;
  const void* c = in->child[i];
  uint32_t n = leaves ? static_cast<const Leaf*>(c)->n : static_cast<const Inner*>(c)->n;
  if (n * 4 > (leaves ? kLeafCap : kFan)) return;
  uint32_t left = i + 1 < in->n ? i : i - 1;  // the right one of the pair moves into the left
  if (leaves) {
    Leaf* a = static_cast<Leaf*>(in->child[left]);
    Leaf* b = static_cast<Leaf*>(in->child[left + 1]);
    if (a->n + b->n > kLeafCap) return;
    std::memcpy(static_cast<void*>(a->items() + a->n), b->items(), b->n * sizeof(Item));
    a->n += b->n;
    b->n = 0;
  } else {
    Inner* a = static_cast<Inner*>(in->child[left]);
    Inner* b = static_cast<Inner*>(in->child[left + 1]);
    if (a->n + b->n > kFan) return;
    std::memcpy(a->child + a->n, b->child, b->n * sizeof(void*));
    std::memcpy(a->count + a->n, b->count, b->n * sizeof(uint64_t));
    std::memcpy(static_cast<void*>(a->max + a->n), b->max, b->n * sizeof(Item));
    a->n += b->n;
    b->n = 0;
  }
  in->count[left] += in->count[left + 1];
  in->max[left] = in->max[left + 1];
  dropChild(in, left + 1, childHeight);
}

void ZOrder::renumber(double score, uint32_t from, uint32_t to) {
  if (!root_) return;
  Key key{score, members_.begin()[from].name.view(), false};
  void* node = root_;
  // The item's copies as a greatest item lie on its path only.
  for (int h = height_; h > 0; h--) {
    Inner* in = static_cast<Inner*>(node);
    uint32_t i = firstNotBelow(in->max, in->n, key);
    if (i == in->n) return;
    if (in->max[i].member == from) in->max[i].member = to;
    node = in->child[i];
  }
  Leaf* l = static_cast<Leaf*>(node);
  uint32_t pos = firstNotBelow(l->items(), l->n, key);
  if (pos < l->n && l->items()[pos].member == from) l->items()[pos].member = to;
}

}  // namespace raa
