// A byte string in 16 bytes: up to 15 bytes inline, longer ones in one heap block. Values
// and key names are mostly short, and std::string takes 32 bytes for the same job: at a
// million keys the difference is what keeps the keyspace near redis-server's footprint.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

namespace raa {

class SmallString {
 public:
  SmallString() { clearInline(); }
  SmallString(std::string_view s) { init(s); }  // NOLINT: implicit, like std::string
  SmallString(const std::string& s) : SmallString(std::string_view(s)) {}
  SmallString(const char* s) : SmallString(std::string_view(s)) {}
  SmallString(const SmallString& o) { init(o.view()); }
  SmallString(SmallString&& o) noexcept {
    std::memcpy(raw_, o.raw_, sizeof raw_);
    o.clearInline();
  }
  SmallString& operator=(const SmallString& o) {
    if (this != &o) {
      SmallString copy(o);
      swap(copy);
    }
    return *this;
  }
  SmallString& operator=(SmallString&& o) noexcept {
    if (this != &o) {
      release();
      std::memcpy(raw_, o.raw_, sizeof raw_);
      o.clearInline();
    }
    return *this;
  }
  ~SmallString() { release(); }

  size_t size() const { return onHeap() ? heapLen() : static_cast<size_t>(raw_[15]); }
  bool empty() const { return size() == 0; }
  const char* data() const { return onHeap() ? heapPtr() : raw_; }
  char* data() { return onHeap() ? heapPtr() : raw_; }
  std::string_view view() const { return std::string_view(data(), size()); }
  operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  bool operator==(const SmallString& o) const { return view() == o.view(); }
  bool operator==(std::string_view o) const { return view() == o; }
  bool operator==(const std::string& o) const { return view() == std::string_view(o); }
  bool operator!=(std::string_view o) const { return view() != o; }
  // Heap bytes this string holds beyond its 16 bytes.
  size_t heapBytes() const { return onHeap() ? heapLen() : 0; }
  void swap(SmallString& o) noexcept {
    char tmp[16];
    std::memcpy(tmp, raw_, 16);
    std::memcpy(raw_, o.raw_, 16);
    std::memcpy(o.raw_, tmp, 16);
  }

 private:
  static constexpr uint8_t kHeapTag = 0xff;
  bool onHeap() const { return static_cast<uint8_t>(raw_[15]) == kHeapTag; }
  char* heapPtr() const {
    char* p;
    std::memcpy(&p, raw_, sizeof p);
    return p;
  }
  size_t heapLen() const {
    uint64_t n = 0;
    std::memcpy(&n, raw_ + 8, 7);
    return static_cast<size_t>(n);
  }
  void clearInline() {
    std::memset(raw_, 0, sizeof raw_);
  }
  void init(std::string_view s) {
    if (s.size() <= 15) {
      clearInline();
      std::memcpy(raw_, s.data(), s.size());
      raw_[15] = static_cast<char>(s.size());
      return;
    }
    char* p = static_cast<char*>(std::malloc(s.size()));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    std::memcpy(raw_, &p, sizeof p);
    uint64_t n = s.size();
    std::memcpy(raw_ + 8, &n, 7);  // lengths up to 2^56
    raw_[15] = static_cast<char>(kHeapTag);
  }
  void release() {
    if (onHeap()) std::free(heapPtr());
  }
  char raw_[16];
};

}  // namespace raa
