// A streaming RDB reader: fed the file in chunks of any size, as they come from a file or
// a socket, it calls an RdbHandler for every aux field, database, key and element.
//
// The file is read in units: an opcode with its payload, a key's header, one element of a
// large collection, or one whole compact value (a listpack, an intset...). A unit is only
// parsed once all its bytes are here; until then the reader keeps the unconsumed bytes and
// waits. So memory is bounded by the largest single unit (a value at most), not by the
// file, and the handler never sees half an element. A unit that needs more bytes than have
// come is retried once the input reaches what it asked for, or doubles: re-parsing stays
// linear however the chunks are cut.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rdb_error.h"

namespace raa {

enum class RdbKind : uint8_t { String, List, Set, ZSet, Hash, Stream, Module };
// Redis's TYPE name of a kind ("string", "list", ...).
const char* rdbKindName(RdbKind k);
// The encoding an RDB value type stores (Redis's OBJECT ENCODING words, where they exist).
const char* rdbEncodingName(int rdbType);

struct RdbKey {
  uint64_t db = 0;
  int rdbType = 0;
  RdbKind kind = RdbKind::String;
  std::string_view key;
  int64_t expireAtMs = -1;  // -1: none
  int64_t idleSeconds = -1;
  int lfuFreq = -1;
};

struct StreamId {
  uint64_t ms = 0, seq = 0;
};

struct RdbStream {
  struct Entry {
    StreamId id;
    std::vector<std::string> fieldsAndValues;
  };
  struct Pending {
    StreamId id;
    int64_t deliveryTimeMs;
    uint64_t deliveryCount;
    std::string consumer;  // from the consumer whose PEL holds the id
  };
  struct Consumer {
    std::string name;
    int64_t seenTimeMs = 0;
    int64_t activeTimeMs = -1;  // stream v3 only
    std::vector<StreamId> pending;
  };
  struct Group {
    std::string name;
    StreamId lastId;
    int64_t entriesRead = -1;  // v2+
    std::vector<Pending> pending;
    std::vector<Consumer> consumers;
  };
  uint64_t length = 0;
  StreamId lastId;
  bool hasV2Fields = false;  // first id, max deleted id, entries added (types 19 and 21)
  StreamId firstId, maxDeletedId;
  uint64_t entriesAdded = 0;
  std::vector<Entry> entries;  // live entries in id order
  std::vector<Group> groups;
};

// One typed value of a module's self-describing layout (type 7, MODULE_AUX).
struct ModuleItem {
  enum Kind : uint8_t { SInt = 1, UInt = 2, Float = 3, Double = 4, String = 5 } kind;
  uint64_t u = 0;  // SInt (as two's complement) and UInt
  double d = 0;    // Float and Double
  std::string s;   // String
};

// Decodes a 64-bit module id into its 9-character name.
std::string moduleName(uint64_t moduleId);

class RdbHandler {
 public:
  virtual ~RdbHandler() = default;
  virtual void aux(std::string_view key, std::string_view value) {}
  virtual void selectDb(uint64_t db) {}
  virtual void resizeDb(uint64_t keys, uint64_t expires) {}
  virtual void slotInfo(uint64_t slot, uint64_t keys, uint64_t expires) {}
  virtual void function(std::string_view code) {}
  virtual void moduleAux(std::string_view module) {}
  // A key's value follows in the calls below, then endKey(). Strings passed to the handler
  // are only valid during the call.
  virtual void beginKey(const RdbKey& k) {}
  virtual void stringValue(std::string_view v) {}
  virtual void listItem(std::string_view v) {}
  virtual void setMember(std::string_view m) {}
  virtual void zsetMember(std::string_view m, double score) {}
  virtual void hashField(std::string_view f, std::string_view v, int64_t expireAtMs) {}  // 0: no TTL
  virtual void stream(const RdbStream& s) {}
  virtual void moduleValue(std::string_view module, uint64_t moduleId, const std::vector<ModuleItem>& items) {}
  virtual void endKey() {}
  virtual void end() {}
};

struct RdbReaderOptions {
  bool verifyChecksum = true;
  bool allowNewerVersion = false;        // try files of versions above 12
  uint64_t maxStringBytes = 1ull << 32;  // a longer string is an error, not a wait for the bytes
};

class RdbReader {
 public:
  explicit RdbReader(RdbHandler& handler, RdbReaderOptions options = {});
  // Parses every complete unit of what has arrived; throws RdbError on bad input (and on
  // every call after one).
  void feed(const uint8_t* data, size_t len);
  // The input has ended: throws RdbError when the file stopped short.
  void finish();
  bool done() const { return state_ == State::Done; }
  int version() const { return version_; }
  uint64_t offset() const { return offset_; }  // bytes consumed
  uint64_t keysRead() const { return keys_; }
  // Bytes held back waiting for the rest of a unit, and how many times a unit was started
  // and found short: what the streaming promises (bounded memory, linear work) rest on.
  size_t buffered() const { return pending_.size(); }
  uint64_t retries() const { return retries_; }

 private:
  enum class State : uint8_t { Header, Top, Elements, Checksum, Done, Failed };
  enum class Elem : uint8_t { ListString, SetString, ZSetAscii, ZSetBinary, HashPair, HashTtlAbs, HashTtlRel,
                              QuicklistZiplist, Quicklist2Node };
  class Cursor;
  size_t parse(const uint8_t* data, size_t len, bool final);
  void step(Cursor& c);
  void top(Cursor& c);
  void element(Cursor& c);
  void keyHeader(Cursor& c, int type);
  void blobValue(Cursor& c, int type);
  void streamValue(Cursor& c, int type);
  void moduleItems(Cursor& c, std::vector<ModuleItem>& out);
  void beginKey();
  void endKey();
  [[noreturn]] void fail(const FormatError& e);

  RdbHandler& h_;
  RdbReaderOptions opt_;
  State state_ = State::Header;
  int version_ = 0;
  uint64_t offset_ = 0;   // absolute offset of the first unconsumed byte
  uint64_t waitFor_ = 0;  // do not retry before the input reaches this offset
  uint64_t crc_ = 0;
  std::string pending_;   // bytes of an incomplete unit, kept between feeds
  std::string failure_;
  // the key being read
  uint64_t db_ = 0;
  RdbKey key_;
  std::string keyName_;
  bool inKey_ = false;
  Elem elem_ = Elem::ListString;
  uint64_t remaining_ = 0;
  int64_t minFieldExpire_ = 0;
  uint64_t keys_ = 0;
  uint64_t retries_ = 0;
  // read-ahead options for the next key
  int64_t nextExpire_ = -1, nextIdle_ = -1;
  int nextFreq_ = -1;
  std::string scratch_[3];  // decompressed strings of the unit being read
  std::vector<ModuleItem> moduleScratch_;
};

}  // namespace raa
