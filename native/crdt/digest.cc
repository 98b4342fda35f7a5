// digest(): a canonical hash of the visible data. Keys, hash fields, set and zset members
// are combined by addition, so the result does not depend on iteration order; list
// elements are chained in order. Two 64-bit lanes with different seeds make a 128-bit
// digest, with the number of visible keys in front.
#include <cstring>

#include "keyspace.h"
#include "values.h"

namespace raa {

namespace {
struct Lanes {
  uint64_t a = 0, b = 0;
  void add(const Lanes& o) {
    a += o.a;
    b += o.b;
  }
};

Lanes hashParts(std::initializer_list<std::string_view> parts) {
  std::string buf;
  for (std::string_view p : parts) {
    uint64_t n = p.size();
    buf.append(reinterpret_cast<const char*>(&n), 8);
    buf.append(p.data(), p.size());
  }
  return Lanes{hash64(buf.data(), buf.size(), 0x1234567), hash64(buf.data(), buf.size(), 0x89abcdef)};
}

std::string_view lanesView(const Lanes& l, char (&buf)[16]) {
  std::memcpy(buf, &l.a, 8);
  std::memcpy(buf + 8, &l.b, 8);
  return std::string_view(buf, 16);
}

Lanes valueLanes(const KeyState& k, Type t) {
  Lanes sum;
  switch (t) {
    case Type::String: {
      std::string v = stringValue(k.str);
      return hashParts({v});
    }
    case Type::Hash:
      for (const auto& [f, c] : *k.hash)
        if (c.visible()) sum.add(hashParts({f, stringValue(c)}));
      return sum;
    case Type::Set:
      for (const auto& [m, c] : *k.set)
        if (c.visible()) sum.add(hashParts({m}));
      return sum;
    case Type::ZSet:
      k.zset->forEach([&](std::string_view m, double score) { sum.add(hashParts({m, formatDouble(score)})); });
      return sum;
    case Type::List: {
      char buf[16];
      for (const auto& [pos, e] : k.list->elems) {
        Lanes step = hashParts({lanesView(sum, buf), e.val});
        sum = step;
      }
      return sum;
    }
    default:
      return sum;
  }
}
}  // namespace

std::string Keyspace::digest() const {
  Lanes total;
  uint64_t count = 0;
  for (const auto& [name, k] : keys_) {
    Type t = k.visibleType();
    if (t == Type::None || isExpired(k)) continue;
    count++;
    char buf[16];
    std::string at = std::to_string(k.expireAt());
    total.add(hashParts({name, typeName(t), lanesView(valueLanes(k, t), buf), at}));
  }
  char out[64];
  snprintf(out, sizeof out, "%08llx%016llx%016llx", static_cast<unsigned long long>(count),
           static_cast<unsigned long long>(total.a), static_cast<unsigned long long>(total.b));
  return out;
}

}  // namespace raa
