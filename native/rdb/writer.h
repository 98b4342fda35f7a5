// Writes RDB files: the header, aux fields, databases, keys of plain Redis types (in the
// encodings Redis 7.0 writes) and module values, then EOF and the CRC64.
//
// Strings are written as Redis writes them: integer encodings when the text is a small
// canonical integer, LZF when compression is on and saves bytes, raw otherwise. Small
// collections go into listpacks and intsets under Redis's default thresholds, so a file
// this writes loads into a redis-server with the encodings it would have chosen itself.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace raa {

constexpr int kRdbWriteVersion = 10;  // what Redis 7.0 writes

// Redis's default thresholds for the compact encodings (redis.conf of 7.0).
struct RdbEncodingLimits {
  size_t listpackEntries = 128;  // hash-max-listpack-entries, zset-max-listpack-entries
  size_t listpackValue = 64;     // hash-max-listpack-value, zset-max-listpack-value
  size_t intsetEntries = 512;    // set-max-intset-entries
  size_t listNodeBytes = 8192;   // list-max-listpack-size -2
};

class RdbWriter {
 public:
  explicit RdbWriter(std::string& out, bool compress = true) : out_(out), compress_(compress) {}
  void header(int version = kRdbWriteVersion);
  void aux(std::string_view key, std::string_view value);
  void selectDb(uint64_t db);
  void resizeDb(uint64_t keys, uint64_t expires);
  void expireAt(int64_t ms);
  // Ends the file: EOF and the CRC64 of every byte before it.
  void end();

  // Keys. Each writes the type byte, the key and the value.
  void stringKey(std::string_view key, std::string_view value);
  void listKey(std::string_view key, const std::vector<std::string_view>& items);
  void setKey(std::string_view key, const std::vector<std::string_view>& members);
  void hashKey(std::string_view key, const std::vector<std::pair<std::string_view, std::string_view>>& fields);
  void zsetKey(std::string_view key, const std::vector<std::pair<std::string_view, double>>& members);
  // A module value (type 7) holding one string: how this project stores CRDT state.
  void moduleStringKey(std::string_view key, uint64_t moduleId, std::string_view payload);

  void length(uint64_t n);
  void string(std::string_view s);
  void byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }

  RdbEncodingLimits limits;

 private:
  std::string& out_;
  bool compress_;
  std::string packed_;  // LZF output, reused
};

// A module id from its 9-character name (charset A-Z a-z 0-9 - _) and encoding version.
uint64_t moduleId(std::string_view name, unsigned encodingVersion);

// Listpack and intset builders, for the writer and for tests that need compact blobs.
class ListpackBuilder {
 public:
  // Integers in canonical form are stored as numbers, as Redis does.
  void append(std::string_view s);
  size_t count() const { return count_; }
  size_t bytes() const { return body_.size() + 7; }
  std::string finish() const;

 private:
  std::string body_;
  size_t count_ = 0;
};

std::string buildIntset(std::vector<int64_t> values);

}  // namespace raa
