// The (score, member) order of a sorted set's visible members, with ranks.
//
// A B+ tree: leaves hold (score, member index) items in order and are linked both ways for
// walks; an inner node holds, for each child, its item count and its greatest item. The
// counts give a rank or the item at a rank in O(log n), as the spans of Redis's skiplist
// do, so ZRANK, ZCOUNT and ZRANGE by rank do not walk the order. A red-black tree
// (std::set) took a 48-byte node and a malloc per member, and an insert into a zset of
// 100k members followed some 17 dependent pointers (its depth); here a level is one node of
// contiguous items searched by bisection, three levels hold a few hundred thousand members,
// and a re-placed member (a new score) moves within arrays, allocating nothing.
//
// Items name their member by its index in the zset's member table (ZSetVal), which the
// order reads for names when scores tie. The table moves a member to another index only
// through renumber(), so every item, and every inner node's copy of a greatest item, names
// a live member.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace raa {

class CellMap;

class ZOrder {
 public:
  struct Item {
    double score;
    uint32_t member;  // index in the member table
  };

  // A position in the order, for walks. Valid until the next change of the order.
  class Cursor {
   public:
    Cursor() = default;
    const Item& operator*() const;
    const Item* operator->() const { return &**this; }
    Cursor& operator++();
    Cursor& operator--();

   private:
    friend class ZOrder;
    Cursor(const void* leaf, uint32_t i) : leaf_(leaf), i_(i) {}
    const void* leaf_ = nullptr;
    uint32_t i_ = 0;
  };

  // `members` names the member indices; it must outlive the order.
  explicit ZOrder(const CellMap& members) : members_(members) {}
  ~ZOrder();
  ZOrder(const ZOrder&) = delete;
  ZOrder& operator=(const ZOrder&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Item& front() const;  // not empty
  const Item& back() const;

  // Adds a member that is not in the order.
  void insert(double score, uint32_t member);
  // Removes a member placed at `score`; false when it is not there.
  bool erase(double score, uint32_t member);
  // The member placed at `score` moved from index `from` to index `to` of the member table.
  void renumber(double score, uint32_t from, uint32_t to);

  // The rank of the first item at or above (score, name), or above it when `after`.
  size_t bound(double score, std::string_view name, bool after) const;
  // The rank of a member placed at `score`.
  size_t rankOf(double score, uint32_t member) const;
  // The item at a rank (< size()).
  Cursor at(size_t rank) const;

  // Bytes of the nodes, for memory estimates.
  size_t nodeBytes() const { return bytes_; }

 private:
  struct Leaf;
  struct Inner;
  struct Key;
  int compare(const Item& item, const Key& key) const;
  // The first of n items (or inner-node greatest items) that is not below the key.
  uint32_t firstNotBelow(const Item* items, uint32_t n, const Key& key) const;
  void* insertInto(void* node, int height, const Item& item, const Key& key);
  Leaf* insertIntoLeaf(Leaf* leaf, const Item& item, const Key& key);
  Inner* addChild(Inner* in, uint32_t at, void* child, int childHeight);
  bool eraseFrom(void* node, int height, const Key& key, uint32_t member);
  void dropChild(Inner* in, uint32_t i, int childHeight);
  void mergeSmall(Inner* in, uint32_t i, int childHeight);
  Leaf* newLeaf(uint32_t cap);
  void freeLeaf(Leaf* leaf);
  Inner* newInner();
  void freeInner(Inner* in);
  void freeTree(void* node, int height);
  static size_t countOf(const void* node, int height);
  static const Item& greatest(const void* node, int height);

  const CellMap& members_;
  void* root_ = nullptr;  // a Leaf when height_ is 0, else an Inner
  int height_ = 0;
  size_t size_ = 0, bytes_ = 0;
  Leaf *first_ = nullptr, *last_ = nullptr;
};

}  // namespace raa
