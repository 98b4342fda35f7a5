#include "reader.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

#include "containers.h"
#include "crc64.h"
#include "lzf.h"

namespace raa {

namespace {
// What a unit still needs: the input must reach this absolute offset.
struct NeedMore {
  uint64_t upTo;
};

constexpr int kMaxVersion = 12;
// LZF's densest form, a 2-byte back reference, expands to 264 bytes (3 with its literal
// control): a stated length beyond this ratio is a lie, refused before allocating for it.
constexpr uint64_t kMaxLzfRatio = 132;

enum Opcode : uint8_t {
  kSlotInfo = 0xF4, kFunction2 = 0xF5, kFunctionPreGa = 0xF6, kModuleAux = 0xF7, kIdle = 0xF8, kFreq = 0xF9,
  kAux = 0xFA, kResizeDb = 0xFB, kExpireMs = 0xFC, kExpireSec = 0xFD, kSelectDb = 0xFE, kEof = 0xFF,
};

bool parseScore(std::string_view s, double& out) {
  char buf[256];
  if (s.empty() || s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end;
  out = std::strtod(buf, &end);
  return end == buf + s.size() && !std::isnan(out);
}
}  // namespace

const char* rdbKindName(RdbKind k) {
  switch (k) {
    case RdbKind::String: return "string";
    case RdbKind::List: return "list";
    case RdbKind::Set: return "set";
    case RdbKind::ZSet: return "zset";
    case RdbKind::Hash: return "hash";
    case RdbKind::Stream: return "stream";
    default: return "module";
  }
}

const char* rdbEncodingName(int t) {
  switch (t) {
    case 0: return "string";
    case 1: return "linkedlist";
    case 2: case 4: return "hashtable";
    case 3: case 5: return "skiplist";
    case 7: return "module";
    case 9: return "zipmap";
    case 10: case 12: case 13: return "ziplist";
    case 11: return "intset";
    case 14: case 18: return "quicklist";
    case 15: case 19: case 21: return "stream";
    case 16: case 17: case 20: return "listpack";
    case 22: case 24: return "hashtable-ttl";
    case 23: case 25: return "listpackex";
    default: return "unknown";
  }
}

static bool kindOf(int t, RdbKind& k) {
  switch (t) {
    case 0: k = RdbKind::String; return true;
    case 1: case 10: case 14: case 18: k = RdbKind::List; return true;
    case 2: case 11: case 20: k = RdbKind::Set; return true;
    case 3: case 5: case 12: case 17: k = RdbKind::ZSet; return true;
    case 4: case 9: case 13: case 16: case 22: case 23: case 24: case 25: k = RdbKind::Hash; return true;
    case 15: case 19: case 21: k = RdbKind::Stream; return true;
    case 7: k = RdbKind::Module; return true;
    default: return false;
  }
}

std::string moduleName(uint64_t id) {
  static const char charset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string name(9, ' ');
  uint64_t bits = id >> 10;
  for (int i = 8; i >= 0; i--) {
    name[i] = charset[bits & 63];
    bits >>= 6;
  }
  return name;
}

// Reads the bytes of one unit. Every read checks what is there: short input throws
// NeedMore (wait for more), impossible input throws FormatError (stop).
class RdbReader::Cursor {
 public:
  Cursor(const uint8_t* p, const uint8_t* end, uint64_t base, uint64_t maxString)
      : p_(p), start_(p), end_(end), base_(base), maxString_(maxString) {}
  uint64_t pos() const { return base_ + static_cast<uint64_t>(p_ - start_); }
  size_t used() const { return static_cast<size_t>(p_ - start_); }
  void need(uint64_t n) const {
    if (n > static_cast<uint64_t>(end_ - p_)) throw NeedMore{pos() + n};
  }
  uint8_t u8() {
    need(1);
    return *p_++;
  }
  const uint8_t* bytes(uint64_t n) {
    need(n);
    const uint8_t* q = p_;
    p_ += n;
    return q;
  }
  uint64_t le(int n) {
    const uint8_t* b = bytes(n);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
    return v;
  }
  uint64_t be(int n) {
    const uint8_t* b = bytes(n);
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 8) | b[i];
    return v;
  }
  // An RDB length; `special` (when given) is set for the 11xxxxxx string encodings.
  uint64_t length(bool* special = nullptr) {
    uint64_t at = pos();
    uint8_t b = u8();
    switch (b >> 6) {
      case 0: return b & 0x3F;
      case 1: return (uint64_t{b & 0x3Fu} << 8) | u8();
      case 2:
        if (b == 0x80) return be(4);
        if (b == 0x81) return be(8);
        formatError("invalid length byte " + std::to_string(b), at);
      default:
        if (!special) formatError("a string encoding (byte " + std::to_string(b) + ") where a length was expected", at);
        *special = true;
        return b & 0x3F;
    }
  }
  std::string_view string(std::string& scratch) {
    uint64_t at = pos();
    bool special = false;
    uint64_t n = length(&special);
    if (!special) {
      if (n > maxString_) formatError("string length " + std::to_string(n) + " is over the limit", at);
      return std::string_view(reinterpret_cast<const char*>(bytes(n)), static_cast<size_t>(n));
    }
    IntText text;
    switch (n) {
      case 0: return keep(scratch, text(static_cast<int8_t>(u8())));
      case 1: return keep(scratch, text(static_cast<int16_t>(le(2))));
      case 2: return keep(scratch, text(static_cast<int32_t>(le(4))));
      case 3: {
        uint64_t clen = length(), ulen = length();
        if (ulen > maxString_) formatError("LZF string length " + std::to_string(ulen) + " is over the limit", at);
        if (clen == 0 || ulen / kMaxLzfRatio > clen)
          formatError("LZF string of " + std::to_string(clen) + " compressed bytes cannot hold " + std::to_string(ulen), at);
        const uint8_t* data = bytes(clen);
        scratch.resize(static_cast<size_t>(ulen));
        if (!lzfDecompress(data, clen, reinterpret_cast<uint8_t*>(&scratch[0]), scratch.size()))
          formatError("LZF data does not decompress to its stated " + std::to_string(ulen) + " bytes", at);
        return scratch;
      }
      default: formatError("unknown string encoding " + std::to_string(n), at);
    }
  }
  // A double of the old zset form: a length byte then ASCII (253 NaN, 254 +inf, 255 -inf).
  double asciiDouble() {
    uint64_t at = pos();
    uint8_t n = u8();
    if (n == 253) formatError("NaN score", at);
    if (n == 254) return INFINITY;
    if (n == 255) return -INFINITY;
    const uint8_t* b = bytes(n);
    double d;
    if (!parseScore(std::string_view(reinterpret_cast<const char*>(b), n), d)) formatError("invalid double", at);
    return d;
  }
  double binaryDouble() {
    uint64_t bits = le(8);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

 private:
  static std::string_view keep(std::string& scratch, std::string_view s) {
    scratch.assign(s.data(), s.size());
    return scratch;
  }
  const uint8_t* p_;
  const uint8_t* start_;
  const uint8_t* end_;
  uint64_t base_;
  uint64_t maxString_;
};

RdbReader::RdbReader(RdbHandler& handler, RdbReaderOptions options) : h_(handler), opt_(options) {}

void RdbReader::feed(const uint8_t* data, size_t len) {
  if (state_ == State::Failed) throw RdbError(failure_);
  if (state_ == State::Done) {
    if (len) fail(FormatError{"data after the end of the file", offset_});
    return;
  }
  if (pending_.empty()) {
    size_t used = parse(data, len, false);
    pending_.assign(reinterpret_cast<const char*>(data) + used, len - used);
    return;
  }
  pending_.append(reinterpret_cast<const char*>(data), len);
  if (offset_ + pending_.size() < waitFor_) return;
  size_t used = parse(reinterpret_cast<const uint8_t*>(pending_.data()), pending_.size(), false);
  pending_.erase(0, used);
}

void RdbReader::finish() {
  if (state_ == State::Failed) throw RdbError(failure_);
  if (state_ != State::Done) parse(reinterpret_cast<const uint8_t*>(pending_.data()), pending_.size(), true);
}

size_t RdbReader::parse(const uint8_t* data, size_t len, bool final) {
  size_t used = 0;
  try {
    while (state_ != State::Done) {
      if (!final && offset_ + (len - used) < waitFor_) break;
      Cursor c(data + used, data + len, offset_, opt_.maxStringBytes);
      bool checksummed = state_ != State::Checksum;
      try {
        step(c);
      } catch (const NeedMore& m) {
        retries_++;
        if (!final) {
          uint64_t doubled = offset_ + 2 * (len - used);
          waitFor_ = m.upTo > doubled ? m.upTo : doubled;
          break;
        }
        std::string what = state_ == State::Header ? "the RDB header" : inKey_ ? "a value" : "the next record";
        formatError("file ends in the middle of " + what + " (" + std::to_string(m.upTo - (offset_ + len - used)) +
                        " more bytes needed)",
                    offset_ + len - used);
      }
      size_t n = c.used();
      if (checksummed) crc_ = crc64(crc_, data + used, n);
      used += n;
      offset_ += n;
      waitFor_ = 0;
    }
    if (state_ == State::Done && used != len) formatError("data after the end of the file", offset_);
  } catch (const FormatError& e) {
    fail(e);
  } catch (const std::exception& e) {  // a handler refusing what it was given
    fail(FormatError{e.what(), offset_});
  }
  if (final) pending_.clear();
  return used;
}

void RdbReader::fail(const FormatError& e) {
  state_ = State::Failed;
  failure_ = "RDB error at offset " + std::to_string(e.offset) + ": " + e.what;
  if (inKey_ || !keyName_.empty()) {
    std::string shown = keyName_.size() > 64 ? keyName_.substr(0, 64) + "..." : keyName_;
    for (char& ch : shown)
      if (static_cast<unsigned char>(ch) < 32 || static_cast<unsigned char>(ch) > 126) ch = '?';
    failure_ += std::string(inKey_ ? " (reading key \"" : " (after key \"") + shown + "\")";
  }
  throw RdbError(failure_);
}

void RdbReader::step(Cursor& c) {
  switch (state_) {
    case State::Header: {
      const uint8_t* b = c.bytes(9);
      if (std::memcmp(b, "REDIS", 5) != 0) formatError("not an RDB file (no REDIS magic)", 0);
      int v = 0;
      for (int i = 5; i < 9; i++) {
        if (b[i] < '0' || b[i] > '9') formatError("invalid RDB version digits", 5);
        v = v * 10 + (b[i] - '0');
      }
      if (v < 1 || (v > kMaxVersion && !opt_.allowNewerVersion))
        formatError("RDB version " + std::to_string(v) + " is not supported (1 to " + std::to_string(kMaxVersion) +
                        "; allowNewerVersion tries a newer one)",
                    5);
      version_ = v;
      state_ = State::Top;
      return;
    }
    case State::Top: return top(c);
    case State::Elements: return element(c);
    case State::Checksum: {
      uint64_t at = c.pos();
      uint64_t stored = c.le(8);
      if (opt_.verifyChecksum && stored != 0 && stored != crc_) {
        char buf[80];
        snprintf(buf, sizeof buf, "checksum mismatch (file says %016llx, content is %016llx)",
                 static_cast<unsigned long long>(stored), static_cast<unsigned long long>(crc_));
        formatError(buf, at);
      }
      state_ = State::Done;
      h_.end();
      return;
    }
    default: return;
  }
}

void RdbReader::top(Cursor& c) {
  uint64_t at = c.pos();
  uint8_t op = c.u8();
  switch (op) {
    case kEof:
      if (version_ >= 5) {
        state_ = State::Checksum;
      } else {
        state_ = State::Done;
        h_.end();
      }
      return;
    case kSelectDb: {
      uint64_t db = c.length();
      db_ = db;
      h_.selectDb(db);
      return;
    }
    case kExpireSec: nextExpire_ = static_cast<int64_t>(static_cast<int32_t>(c.le(4))) * 1000; return;
    case kExpireMs: nextExpire_ = static_cast<int64_t>(c.le(8)); return;
    case kResizeDb: {
      uint64_t keys = c.length();
      uint64_t expires = c.length();
      h_.resizeDb(keys, expires);
      return;
    }
    case kSlotInfo: {
      uint64_t slot = c.length(), keys = c.length(), expires = c.length();
      h_.slotInfo(slot, keys, expires);
      return;
    }
    case kAux: {
      std::string_view k = c.string(scratch_[0]);
      std::string_view v = c.string(scratch_[1]);
      h_.aux(k, v);
      return;
    }
    case kFreq: nextFreq_ = c.u8(); return;
    case kIdle: nextIdle_ = static_cast<int64_t>(c.length()); return;
    case kFunction2: {
      std::string_view code = c.string(scratch_[0]);
      h_.function(code);
      return;
    }
    case kFunctionPreGa: formatError("functions in the Redis 7.0 release-candidate format are not supported", at);
    case kModuleAux: {
      uint64_t id = c.length();
      uint64_t whenOp = c.length();
      if (whenOp != ModuleItem::UInt) formatError("module aux data without its 'when' field", at);
      c.length();  // when: before or after the keyspace; irrelevant to a reader
      moduleItems(c, moduleScratch_);
      h_.moduleAux(moduleName(id));
      return;
    }
    default: keyHeader(c, op);
  }
}

// Reads a module's typed values up to its EOF opcode.
void RdbReader::moduleItems(Cursor& c, std::vector<ModuleItem>& out) {
  out.clear();
  for (;;) {
    uint64_t at = c.pos();
    uint64_t op = c.length();
    if (op == 0) return;
    ModuleItem it;
    it.kind = static_cast<ModuleItem::Kind>(op);
    switch (op) {
      case ModuleItem::SInt:
      case ModuleItem::UInt: it.u = c.length(); break;
      case ModuleItem::Float: {
        uint32_t bits = static_cast<uint32_t>(c.le(4));
        float f;
        std::memcpy(&f, &bits, 4);
        it.d = f;
        break;
      }
      case ModuleItem::Double: it.d = c.binaryDouble(); break;
      case ModuleItem::String: {
        std::string_view s = c.string(scratch_[2]);
        it.s.assign(s.data(), s.size());
        break;
      }
      default: formatError("unknown module value opcode " + std::to_string(op), at);
    }
    out.push_back(std::move(it));
  }
}

void RdbReader::beginKey() {
  key_.db = db_;
  key_.key = keyName_;
  key_.expireAtMs = nextExpire_;
  key_.idleSeconds = nextIdle_;
  key_.lfuFreq = nextFreq_;
  nextExpire_ = nextIdle_ = -1;
  nextFreq_ = -1;
  inKey_ = true;
  keys_++;
  h_.beginKey(key_);
}

void RdbReader::endKey() {
  h_.endKey();
  inKey_ = false;
  state_ = State::Top;
}

void RdbReader::keyHeader(Cursor& c, int type) {
  uint64_t at = c.pos() - 1;
  RdbKind kind;
  if (type == 6) formatError("module value in the pre-release format (type 6) cannot be skipped", at);
  if (!kindOf(type, kind)) formatError("unknown value type " + std::to_string(type), at);
  std::string_view name = c.string(scratch_[0]);
  // Collections stored element by element become one unit per element; the rest is one unit.
  Elem elem;
  bool elements = true;
  int64_t minExpire = 0;
  switch (type) {
    case 1: elem = Elem::ListString; break;
    case 2: elem = Elem::SetString; break;
    case 3: elem = Elem::ZSetAscii; break;
    case 5: elem = Elem::ZSetBinary; break;
    case 4: elem = Elem::HashPair; break;
    case 22: elem = Elem::HashTtlAbs; break;
    case 24: elem = Elem::HashTtlRel; minExpire = static_cast<int64_t>(c.le(8)); break;
    case 14: elem = Elem::QuicklistZiplist; break;
    case 18: elem = Elem::Quicklist2Node; break;
    default: elements = false;
  }
  if (!elements) {
    keyName_.assign(name.data(), name.size());
    key_.rdbType = type;
    key_.kind = kind;
    inKey_ = true;  // errors in the value name the key (a retry after NeedMore sets it again)
    if (type == 15 || type == 19 || type == 21) streamValue(c, type);
    else blobValue(c, type);
    return;
  }
  uint64_t n = c.length();
  keyName_.assign(name.data(), name.size());
  key_.rdbType = type;
  key_.kind = kind;
  if (n == 0) {  // Redis skips empty collections when loading
    nextExpire_ = nextIdle_ = -1;
    nextFreq_ = -1;
    return;
  }
  elem_ = elem;
  remaining_ = n;
  minFieldExpire_ = minExpire;
  beginKey();
  state_ = State::Elements;
}

void RdbReader::element(Cursor& c) {
  uint64_t at = c.pos();
  switch (elem_) {
    case Elem::ListString: {
      std::string_view v = c.string(scratch_[0]);
      h_.listItem(v);
      break;
    }
    case Elem::SetString: {
      std::string_view v = c.string(scratch_[0]);
      h_.setMember(v);
      break;
    }
    case Elem::ZSetAscii:
    case Elem::ZSetBinary: {
      std::string_view m = c.string(scratch_[0]);
      double score = elem_ == Elem::ZSetAscii ? c.asciiDouble() : c.binaryDouble();
      if (std::isnan(score)) formatError("NaN score", at);
      h_.zsetMember(m, score);
      break;
    }
    case Elem::HashPair: {
      std::string_view f = c.string(scratch_[0]);
      std::string_view v = c.string(scratch_[1]);
      h_.hashField(f, v, 0);
      break;
    }
    case Elem::HashTtlAbs:
    case Elem::HashTtlRel: {
      uint64_t ttl = c.length();
      std::string_view f = c.string(scratch_[0]);
      std::string_view v = c.string(scratch_[1]);
      int64_t expireAt = ttl == 0 ? 0 : elem_ == Elem::HashTtlAbs ? static_cast<int64_t>(ttl)
                                                                   : static_cast<int64_t>(ttl) + minFieldExpire_ - 1;
      h_.hashField(f, v, expireAt);
      break;
    }
    case Elem::QuicklistZiplist: {
      uint64_t blobAt = c.pos();
      std::string_view z = c.string(scratch_[0]);
      // Only a ziplist stored raw has a file offset of its own; a compressed one is decoded in
      // memory, so its errors point at the string.
      uint64_t base = z.data() == scratch_[0].data() ? blobAt : c.pos() - z.size();
      forEachZiplistItem(reinterpret_cast<const uint8_t*>(z.data()), z.size(), base,
                         [&](const ContainerItem& it) { h_.listItem(it.text()); });
      break;
    }
    case Elem::Quicklist2Node: {
      uint64_t container = c.length();
      if (container != 1 && container != 2) formatError("quicklist node container " + std::to_string(container) + " is neither plain (1) nor packed (2)", at);
      uint64_t blobAt = c.pos();
      std::string_view s = c.string(scratch_[0]);
      if (s.empty()) formatError("empty quicklist node", blobAt);
      if (container == 1) {
        h_.listItem(s);
      } else {
        uint64_t base = s.data() == scratch_[0].data() ? blobAt : c.pos() - s.size();
        forEachListpackItem(reinterpret_cast<const uint8_t*>(s.data()), s.size(), base,
                            [&](const ContainerItem& it) { h_.listItem(it.text()); });
      }
      break;
    }
  }
  if (--remaining_ == 0) endKey();
}

// A value stored as one string: a compact container, or the string itself.
void RdbReader::blobValue(Cursor& c, int type) {
  if (type == 7) {
    uint64_t id = c.length();
    moduleItems(c, moduleScratch_);
    std::string name = moduleName(id);
    beginKey();
    h_.moduleValue(name, id, moduleScratch_);
    return endKey();
  }
  if (type == 25) c.le(8);  // the smallest field TTL: a hint for Redis, derivable from the fields
  uint64_t blobAt = c.pos();
  std::string_view s = c.string(scratch_[1]);
  if (type == 0) {
    beginKey();
    h_.stringValue(s);
    return endKey();
  }
  const uint8_t* b = reinterpret_cast<const uint8_t*>(s.data());
  uint64_t base = s.data() == scratch_[1].data() ? blobAt : c.pos() - s.size();
  // Pairs and triplets come from flat sequences: hold the first items until the last.
  std::string first, second;
  int slot = 0;
  bool started = false;
  auto begin = [&]() {
    if (!started) beginKey(), started = true;
  };
  auto pairs = [&](int width, const ContainerItem& it) {
    begin();
    std::string_view t = it.text();
    if (slot == 0 && width > 1) {
      first.assign(t.data(), t.size());
      slot = 1;
      return;
    }
    if (slot == 1 && width > 2) {
      second.assign(t.data(), t.size());
      slot = 2;
      return;
    }
    slot = 0;
    if (type == 12 || type == 17) {
      double score;
      if (!(it.isInt ? (score = static_cast<double>(it.num), true) : parseScore(t, score)))
        formatError("invalid score in a sorted set", base);
      h_.zsetMember(first, score);
    } else if (width == 2) {
      h_.hashField(first, t, 0);
    } else {
      if (!it.isInt) formatError("field TTL is not an integer", base);
      h_.hashField(first, second, it.num);
    }
  };
  size_t n = 0;
  switch (type) {
    case 9:
      n = forEachZipmapPair(b, s.size(), base, [&](std::string_view f, std::string_view v) {
        begin();
        h_.hashField(f, v, 0);
      });
      break;
    case 10:
      n = forEachZiplistItem(b, s.size(), base, [&](const ContainerItem& it) {
        begin();
        h_.listItem(it.text());
      });
      break;
    case 11:
      n = forEachIntsetItem(b, s.size(), base, [&](const ContainerItem& it) {
        begin();
        h_.setMember(it.text());
      });
      break;
    case 20:
      n = forEachListpackItem(b, s.size(), base, [&](const ContainerItem& it) {
        begin();
        h_.setMember(it.text());
      });
      break;
    case 12:
    case 13:
      n = forEachZiplistItem(b, s.size(), base, [&](const ContainerItem& it) { pairs(2, it); });
      break;
    case 16:
    case 17:
      n = forEachListpackItem(b, s.size(), base, [&](const ContainerItem& it) { pairs(2, it); });
      break;
    case 23:
    case 25:
      n = forEachListpackItem(b, s.size(), base, [&](const ContainerItem& it) { pairs(3, it); });
      break;
  }
  if (slot != 0) formatError("container holds " + std::to_string(n) + " items, not whole pairs", base);
  if (started) return endKey();
  // An empty container: Redis skips the key.
  inKey_ = false;
  state_ = State::Top;
}


// ---- streams ----
// A stream is read whole: its listpack nodes, then its metadata and consumer groups.

namespace {
StreamId readStreamId(const uint8_t* b) {
  StreamId id;
  for (int i = 0; i < 8; i++) id.ms = (id.ms << 8) | b[i];
  for (int i = 8; i < 16; i++) id.seq = (id.seq << 8) | b[i];
  return id;
}

// Entries of one listpack node: a master entry naming the node's fields, then each entry
// as flags, id deltas from the node's key, its fields (or only values when it has the
// master's fields) and a count closing it.
void decodeStreamNode(StreamId master, const std::vector<ContainerItem>& items, const std::vector<std::string>& texts,
                      uint64_t base, std::vector<RdbStream::Entry>& out) {
  size_t i = 0;
  auto next = [&]() -> const ContainerItem& {
    if (i >= items.size()) formatError("stream node listpack ends inside an entry", base);
    return items[i++];
  };
  auto nextInt = [&]() -> int64_t {
    const ContainerItem& it = next();
    if (!it.isInt) formatError("stream node holds a string where a number belongs", base);
    return it.num;
  };
  int64_t count = nextInt(), deleted = nextInt(), numFields = nextInt();
  if (count < 0 || deleted < 0 || numFields < 0) formatError("stream node has negative counts", base);
  size_t masterFields = i;
  for (int64_t f = 0; f < numFields; f++) next();
  if (nextInt() != 0) formatError("stream node's master entry does not end in 0", base);
  int64_t seen = 0;
  while (i < items.size()) {
    int64_t flags = nextInt();
    int64_t msDelta = nextInt(), seqDelta = nextInt();
    RdbStream::Entry e;
    e.id.ms = master.ms + static_cast<uint64_t>(msDelta);
    e.id.seq = master.seq + static_cast<uint64_t>(seqDelta);
    if (flags & 2) {  // same fields as the master entry: values only
      for (int64_t f = 0; f < numFields; f++) {
        e.fieldsAndValues.push_back(texts[masterFields + f]);
        size_t at = i;
        next();
        e.fieldsAndValues.push_back(texts[at]);
      }
    } else {
      int64_t n = nextInt();
      if (n < 0 || static_cast<uint64_t>(n) > items.size()) formatError("stream entry has a bad field count", base);
      for (int64_t f = 0; f < 2 * n; f++) {
        size_t at = i;
        next();
        e.fieldsAndValues.push_back(texts[at]);
      }
    }
    nextInt();  // lp-count: how many items the entry took, for walking backwards
    seen++;
    if (!(flags & 1)) out.push_back(std::move(e));
  }
  if (seen != count + deleted) formatError("stream node counts " + std::to_string(count + deleted) + " entries, it holds " + std::to_string(seen), base);
}
}  // namespace

void RdbReader::streamValue(Cursor& c, int type) {
  RdbStream s;
  uint64_t nodes = c.length();
  std::vector<ContainerItem> items;
  std::vector<std::string> texts;
  for (uint64_t n = 0; n < nodes; n++) {
    uint64_t at = c.pos();
    std::string_view nodeKey = c.string(scratch_[0]);
    if (nodeKey.size() != 16) formatError("stream node key is " + std::to_string(nodeKey.size()) + " bytes, not a 16-byte id", at);
    StreamId master = readStreamId(reinterpret_cast<const uint8_t*>(nodeKey.data()));
    uint64_t blobAt = c.pos();
    std::string_view lp = c.string(scratch_[1]);
    uint64_t base = lp.data() == scratch_[1].data() ? blobAt : c.pos() - lp.size();
    items.clear();
    texts.clear();
    size_t count = forEachListpackItem(reinterpret_cast<const uint8_t*>(lp.data()), lp.size(), base, [&](const ContainerItem& it) {
      items.push_back(it);
      std::string_view t = it.text();
      texts.emplace_back(t.data(), t.size());
    });
    if (count == 0) formatError("empty stream node", blobAt);
    // Items hold views into the listpack, which stays in place while this unit is read.
    decodeStreamNode(master, items, texts, base, s.entries);
  }
  s.length = c.length();
  s.lastId.ms = c.length();
  s.lastId.seq = c.length();
  if (type >= 19) {
    s.hasV2Fields = true;
    s.firstId.ms = c.length();
    s.firstId.seq = c.length();
    s.maxDeletedId.ms = c.length();
    s.maxDeletedId.seq = c.length();
    s.entriesAdded = c.length();
  }
  uint64_t groups = c.length();
  for (uint64_t g = 0; g < groups; g++) {
    RdbStream::Group grp;
    std::string_view name = c.string(scratch_[0]);
    grp.name.assign(name.data(), name.size());
    grp.lastId.ms = c.length();
    grp.lastId.seq = c.length();
    if (type >= 19) grp.entriesRead = static_cast<int64_t>(c.length());
    uint64_t pel = c.length();
    for (uint64_t p = 0; p < pel; p++) {
      RdbStream::Pending pe;
      pe.id = readStreamId(c.bytes(16));
      pe.deliveryTimeMs = static_cast<int64_t>(c.le(8));
      pe.deliveryCount = c.length();
      grp.pending.push_back(std::move(pe));
    }
    std::map<std::pair<uint64_t, uint64_t>, size_t> pendingAt;
    for (size_t p = 0; p < grp.pending.size(); p++) pendingAt[{grp.pending[p].id.ms, grp.pending[p].id.seq}] = p;
    uint64_t consumers = c.length();
    for (uint64_t k = 0; k < consumers; k++) {
      RdbStream::Consumer con;
      std::string_view cname = c.string(scratch_[0]);
      con.name.assign(cname.data(), cname.size());
      con.seenTimeMs = static_cast<int64_t>(c.le(8));
      if (type >= 21) con.activeTimeMs = static_cast<int64_t>(c.le(8));
      uint64_t owned = c.length();
      for (uint64_t p = 0; p < owned; p++) {
        uint64_t at = c.pos();
        StreamId id = readStreamId(c.bytes(16));
        auto found = pendingAt.find({id.ms, id.seq});
        if (found == pendingAt.end()) formatError("a consumer's pending entry is not in its group's list", at);
        RdbStream::Pending& pe = grp.pending[found->second];
        if (!pe.consumer.empty()) formatError("a pending entry owned by two consumers", at);
        pe.consumer = con.name;
        con.pending.push_back(id);
      }
      grp.consumers.push_back(std::move(con));
    }
    s.groups.push_back(std::move(grp));
  }
  beginKey();
  h_.stream(s);
  endKey();
}

}  // namespace raa
