// The keys clients WATCH, each with the number of the keyspace's last change to it. A
// transaction remembers the number current at WATCH time; EXEC runs only if none of its
// keys changed since. Every join (a local write, a peer's effect, a snapshot) touches the
// key it joined, so a write from another instance aborts a transaction as a local one
// does. Nothing is stored, and a touch costs one branch, while nobody watches.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace raa {

class WatchedKeys {
 public:
  uint64_t now() const { return changes_; }
  void watch(std::string_view key) { keys_[std::string(key)].refs++; }
  void unwatch(std::string_view key) {
    auto it = keys_.find(std::string(key));
    if (it != keys_.end() && --it->second.refs == 0) keys_.erase(it);
  }
  void touch(std::string_view key) {
    if (keys_.empty()) return;
    auto it = keys_.find(std::string(key));
    if (it != keys_.end()) it->second.changed = ++changes_;
  }
  bool changedSince(std::string_view key, uint64_t since) const {
    auto it = keys_.find(std::string(key));
    return it != keys_.end() && it->second.changed > since;
  }

 private:
  struct Watch {
    uint32_t refs = 0;
    uint64_t changed = 0;
  };
  std::unordered_map<std::string, Watch> keys_;
  uint64_t changes_ = 0;
};

}  // namespace raa
