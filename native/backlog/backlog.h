// The replication backlog: the newest bytes of a replication stream in a fixed ring,
// addressed by absolute stream offset, so that a reader that reconnects can be served the
// bytes it missed (a partial sync) instead of a full copy of the data.
//
// Offsets follow Redis: master_repl_offset is the offset of the last byte appended (it
// starts at the offset given at creation and counts every byte since); the backlog holds
// the last histlen bytes, from first_byte_offset = master_repl_offset - histlen + 1. A
// reader asks for the next byte it wants (its own offset + 1): it can be served when that
// byte is held, or is the one after the last (it missed nothing).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace raa {

class Backlog {
 public:
  // A contiguous run of held bytes, as a position in the ring and a length.
  struct Span {
    size_t start = 0, length = 0;
  };
  // Where the stream stands, as doubles (exact to 2^53), in a block shared with JS. Appends
  // are made by the lib/ wrapper, straight into the shared ring (TypedArray.set, a memcpy):
  // a Node-API call costs more than copying a small frame, and every frame of the stream
  // is appended. Reads, resize and reset are here.
  struct Position {
    double masterReplOffset;
    double histlen;
    double next;  // ring position the next byte goes to
  };

  Backlog(size_t capacity, uint64_t masterReplOffset);

  // Whether a reader asking for `offset` as its next byte can be served from here.
  bool holds(uint64_t offset) const { return offset >= firstByteOffset() && offset <= masterReplOffset() + 1; }
  // The held bytes from `offset` to the last, as at most two runs of the ring (the second
  // when they wrap around); returns how many runs. `offset` must be held.
  int spans(uint64_t offset, Span out[2]) const;
  // New capacity: keeps the newest bytes that fit.
  void resize(size_t capacity);
  // Forgets every byte; the next appended byte will have offset masterReplOffset + 1
  // (a replica that took a full sync continues at the master's offset).
  void reset(uint64_t masterReplOffset);

  uint64_t masterReplOffset() const { return static_cast<uint64_t>(pos_->masterReplOffset); }
  uint64_t firstByteOffset() const { return masterReplOffset() - histlen() + 1; }
  size_t histlen() const { return static_cast<size_t>(pos_->histlen); }
  size_t capacity() const { return capacity_; }
  // The ring's memory, shared: whoever holds it (a JS view) keeps it alive past a resize.
  const std::shared_ptr<uint8_t[]>& ring() const { return ring_; }
  const std::shared_ptr<Position>& position() const { return pos_; }

 private:
  std::shared_ptr<uint8_t[]> ring_;
  size_t capacity_;
  std::shared_ptr<Position> pos_;
};

}  // namespace raa
