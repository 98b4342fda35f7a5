#include "backlog.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace raa {

Backlog::Backlog(size_t capacity, uint64_t masterReplOffset)
    : ring_(new uint8_t[capacity ? capacity : 1]),
      capacity_(capacity),
      pos_(std::make_shared<Position>(Position{static_cast<double>(masterReplOffset), 0, 0})) {
  if (capacity == 0) throw std::invalid_argument("backlog capacity must be at least 1 byte");
}

int Backlog::spans(uint64_t offset, Span out[2]) const {
  if (!holds(offset)) throw std::out_of_range("offset not held by the backlog");
  size_t len = static_cast<size_t>(masterReplOffset() + 1 - offset);
  if (len == 0) return 0;
  // The oldest held byte sits histlen bytes behind the next write position.
  size_t start = (static_cast<size_t>(pos_->next) + capacity_ - len) % capacity_;
  size_t first = std::min(len, capacity_ - start);
  out[0] = {start, first};
  if (first == len) return 1;
  out[1] = {0, len - first};
  return 2;
}

void Backlog::resize(size_t capacity) {
  if (capacity == 0) throw std::invalid_argument("backlog capacity must be at least 1 byte");
  std::shared_ptr<uint8_t[]> ring(new uint8_t[capacity]);
  size_t keep = std::min(histlen(), capacity);
  Span s[2];
  int n = keep ? spans(masterReplOffset() + 1 - keep, s) : 0;
  size_t at = 0;
  for (int i = 0; i < n; i++) {
    std::memcpy(ring.get() + at, ring_.get() + s[i].start, s[i].length);
    at += s[i].length;
  }
  ring_ = std::move(ring);
  capacity_ = capacity;
  pos_->histlen = static_cast<double>(keep);
  pos_->next = static_cast<double>(keep % capacity);
}

void Backlog::reset(uint64_t masterReplOffset) {
  *pos_ = Position{static_cast<double>(masterReplOffset), 0, 0};
}

}  // namespace raa
