#include "writer.h"

#include <algorithm>
#include <cstring>

#include "crc64.h"
#include "lzf.h"
#include "../crdt/values.h"

namespace raa {

namespace {
void putLe(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool isListpackInt(std::string_view s, int64_t& v) { return s.size() <= 20 && parseInt64(s, v); }

// Listpack's back-length, Redis's thresholds (see containers.h).
void putBacklen(std::string& out, size_t l) {
  if (l <= 127) {
    out.push_back(static_cast<char>(l));
  } else if (l < 16383) {
    out.push_back(static_cast<char>(l >> 7));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else if (l < 2097151) {
    out.push_back(static_cast<char>(l >> 14));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else if (l < 268435455) {
    out.push_back(static_cast<char>(l >> 21));
    out.push_back(static_cast<char>(((l >> 14) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else {
    out.push_back(static_cast<char>(l >> 28));
    out.push_back(static_cast<char>(((l >> 21) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 14) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  }
}
}  // namespace

void ListpackBuilder::append(std::string_view s) {
  size_t start = body_.size();
  int64_t v;
  if (isListpackInt(s, v)) {
    if (v >= 0 && v <= 127) {
      body_.push_back(static_cast<char>(v));
    } else if (v >= -4096 && v <= 4095) {
      uint64_t u = static_cast<uint64_t>(v) & 0x1fff;
      body_.push_back(static_cast<char>(0xC0 | (u >> 8)));
      body_.push_back(static_cast<char>(u & 0xff));
    } else if (v >= -32768 && v <= 32767) {
      body_.push_back(static_cast<char>(0xF1));
      putLe(body_, static_cast<uint64_t>(v), 2);
    } else if (v >= -8388608 && v <= 8388607) {
      body_.push_back(static_cast<char>(0xF2));
      putLe(body_, static_cast<uint64_t>(v), 3);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      body_.push_back(static_cast<char>(0xF3));
      putLe(body_, static_cast<uint64_t>(v), 4);
    } else {
      body_.push_back(static_cast<char>(0xF4));
      putLe(body_, static_cast<uint64_t>(v), 8);
    }
  } else if (s.size() < 64) {
    body_.push_back(static_cast<char>(0x80 | s.size()));
    body_.append(s.data(), s.size());
  } else if (s.size() < 4096) {
    body_.push_back(static_cast<char>(0xE0 | (s.size() >> 8)));
    body_.push_back(static_cast<char>(s.size() & 0xff));
    body_.append(s.data(), s.size());
  } else {
    body_.push_back(static_cast<char>(0xF0));
    putLe(body_, s.size(), 4);
    body_.append(s.data(), s.size());
  }
  putBacklen(body_, body_.size() - start);
  count_++;
}

std::string ListpackBuilder::finish() const {
  std::string out;
  out.reserve(body_.size() + 7);
  putLe(out, body_.size() + 7, 4);
  putLe(out, count_ < 65535 ? count_ : 65535, 2);
  out += body_;
  out.push_back(static_cast<char>(0xFF));
  return out;
}

std::string buildIntset(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  int width = 2;
  for (int64_t v : values) {
    if (v < INT32_MIN || v > INT32_MAX) width = 8;
    else if ((v < INT16_MIN || v > INT16_MAX) && width < 4) width = 4;
  }
  std::string out;
  putLe(out, static_cast<uint64_t>(width), 4);
  putLe(out, values.size(), 4);
  for (int64_t v : values) putLe(out, static_cast<uint64_t>(v), width);
  return out;
}

uint64_t moduleId(std::string_view name, unsigned encodingVersion) {
  static const char charset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t bits = 0;
  for (size_t i = 0; i < 9; i++) {
    const char* at = i < name.size() ? std::strchr(charset, name[i]) : nullptr;
    bits = (bits << 6) | static_cast<uint64_t>(at && *at ? at - charset : 0);
  }
  return (bits << 10) | (encodingVersion & 1023);
}

void RdbWriter::header(int version) {
  char buf[16];
  snprintf(buf, sizeof buf, "REDIS%04d", version);
  out_.append(buf, 9);
}

void RdbWriter::length(uint64_t n) {
  if (n < 64) {
    byte(static_cast<uint8_t>(n));
  } else if (n < 16384) {
    byte(static_cast<uint8_t>(0x40 | (n >> 8)));
    byte(static_cast<uint8_t>(n & 0xff));
  } else if (n <= UINT32_MAX) {
    byte(0x80);
    for (int i = 3; i >= 0; i--) byte(static_cast<uint8_t>(n >> (8 * i)));
  } else {
    byte(0x81);
    for (int i = 7; i >= 0; i--) byte(static_cast<uint8_t>(n >> (8 * i)));
  }
}

// Redis's rdbSaveRawString: short canonical integers as int encodings, then LZF for strings
// over 20 bytes when it saves at least 4, else raw.
void RdbWriter::string(std::string_view s) {
  int64_t v;
  if (s.size() <= 11 && parseInt64(s, v)) {
    if (v >= INT8_MIN && v <= INT8_MAX) {
      byte(0xC0);
      putLe(out_, static_cast<uint64_t>(v), 1);
      return;
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
      byte(0xC1);
      putLe(out_, static_cast<uint64_t>(v), 2);
      return;
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
      byte(0xC2);
      putLe(out_, static_cast<uint64_t>(v), 4);
      return;
    }
  }
  if (compress_ && s.size() > 20) {
    packed_.clear();
    if (lzfCompress(reinterpret_cast<const uint8_t*>(s.data()), s.size(), packed_, 4)) {
      byte(0xC3);
      length(packed_.size());
      length(s.size());
      out_ += packed_;
      return;
    }
  }
  length(s.size());
  out_.append(s.data(), s.size());
}

void RdbWriter::aux(std::string_view key, std::string_view value) {
  byte(0xFA);
  string(key);
  string(value);
}

void RdbWriter::selectDb(uint64_t db) {
  byte(0xFE);
  length(db);
}

void RdbWriter::resizeDb(uint64_t keys, uint64_t expires) {
  byte(0xFB);
  length(keys);
  length(expires);
}

void RdbWriter::expireAt(int64_t ms) {
  byte(0xFC);
  putLe(out_, static_cast<uint64_t>(ms), 8);
}

void RdbWriter::end() {
  byte(0xFF);
  uint64_t crc = crc64(0, reinterpret_cast<const uint8_t*>(out_.data()), out_.size());
  putLe(out_, crc, 8);
}

void RdbWriter::stringKey(std::string_view key, std::string_view value) {
  byte(0);
  string(key);
  string(value);
}

// Quicklist 2: listpack nodes of up to list-max-listpack-size bytes.
void RdbWriter::listKey(std::string_view key, const std::vector<std::string_view>& items) {
  std::vector<std::string> nodes;
  ListpackBuilder lp;
  for (std::string_view it : items) {
    if (lp.count() && lp.bytes() + it.size() + 11 > limits.listNodeBytes) {
      nodes.push_back(lp.finish());
      lp = ListpackBuilder();
    }
    lp.append(it);
  }
  if (lp.count()) nodes.push_back(lp.finish());
  byte(18);
  string(key);
  length(nodes.size());
  for (const std::string& n : nodes) {
    length(2);  // packed
    string(n);
  }
}

void RdbWriter::setKey(std::string_view key, const std::vector<std::string_view>& members) {
  std::vector<int64_t> ints;
  bool allInts = members.size() <= limits.intsetEntries;
  for (size_t i = 0; allInts && i < members.size(); i++) {
    int64_t v;
    if (members[i].size() <= 20 && parseInt64(members[i], v)) ints.push_back(v);
    else allInts = false;
  }
  if (allInts) {
    byte(11);
    string(key);
    string(buildIntset(std::move(ints)));
    return;
  }
  // Redis 7.0 has no listpack sets (7.2 does): a plain set.
  byte(2);
  string(key);
  length(members.size());
  for (std::string_view m : members) string(m);
}

void RdbWriter::hashKey(std::string_view key, const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  bool compact = fields.size() <= limits.listpackEntries;
  for (size_t i = 0; compact && i < fields.size(); i++)
    compact = fields[i].first.size() <= limits.listpackValue && fields[i].second.size() <= limits.listpackValue;
  if (compact) {
    ListpackBuilder lp;
    for (const auto& [f, v] : fields) {
      lp.append(f);
      lp.append(v);
    }
    byte(16);
    string(key);
    string(lp.finish());
    return;
  }
  byte(4);
  string(key);
  length(fields.size());
  for (const auto& [f, v] : fields) {
    string(f);
    string(v);
  }
}

void RdbWriter::zsetKey(std::string_view key, const std::vector<std::pair<std::string_view, double>>& members) {
  bool compact = members.size() <= limits.listpackEntries;
  for (size_t i = 0; compact && i < members.size(); i++) compact = members[i].first.size() <= limits.listpackValue;
  if (compact) {
    ListpackBuilder lp;
    for (const auto& [m, score] : members) {
      lp.append(m);
      lp.append(formatDouble(score));
    }
    byte(17);
    string(key);
    string(lp.finish());
    return;
  }
  byte(5);
  string(key);
  length(members.size());
  for (const auto& [m, score] : members) {
    string(m);
    uint64_t bits;
    std::memcpy(&bits, &score, 8);
    putLe(out_, bits, 8);
  }
}

void RdbWriter::moduleStringKey(std::string_view key, uint64_t id, std::string_view payload) {
  byte(7);
  string(key);
  length(id);
  length(5);  // string
  // Encoded CRDT state compresses poorly, and LZF on every key costs a full sync time:
  // stored as is (a plain length-prefixed string, which every reader takes).
  length(payload.size());
  out_.append(payload.data(), payload.size());
  length(0);  // EOF
}

}  // namespace raa
