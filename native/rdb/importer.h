// Loading RDB files into a keyspace, two ways:
//
// RdbImporter turns plain Redis values into the commands that recreate them (SET, RPUSH,
// SADD, ZADD, HSET, PEXPIREAT) and hands them to a CommandSink: run in a keyspace they are
// ordinary local writes, so they replicate like any write; encoded as RESP they go to a
// running server. What cannot be imported (streams, module values, functions) is counted
// by reason and the rest goes on.
//
// SnapshotLoader reads this project's own CRDT form (keyspace_rdb.h) and joins it as a
// snapshot: the state of a full sync, not new writes.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crdt/keyspace.h"
#include "reader.h"

namespace raa {

class CommandSink {
 public:
  virtual ~CommandSink() = default;
  // Whether the key may already hold a value (then a DEL goes first: the file's value replaces it).
  virtual bool mayExist(std::string_view key) = 0;
  virtual void command(const Args& argv) = 0;
};

struct ImportOptions {
  int64_t nowMs = 0;      // keys whose TTL passed by then are skipped
  int64_t onlyDb = -1;    // -1: every database (all land in db 0)
  size_t batchItems = 512;  // elements per RPUSH/SADD/ZADD/HSET
};

struct ImportReport {
  uint64_t keys = 0;      // keys imported
  uint64_t commands = 0;  // commands issued
  uint64_t expiredKeys = 0;
  uint64_t otherDbKeys = 0;
  uint64_t fieldTtlsDropped = 0;  // hash fields imported without their TTL
  uint64_t expiredFields = 0;
  std::map<std::string, uint64_t> skipped;  // reason -> keys
};

class RdbImporter : public RdbHandler {
 public:
  RdbImporter(CommandSink& sink, ImportOptions options) : sink_(sink), opt_(options) {}
  const ImportReport& report() const { return report_; }

  void function(std::string_view code) override;
  void moduleAux(std::string_view module) override;
  void beginKey(const RdbKey& k) override;
  void stringValue(std::string_view v) override;
  void listItem(std::string_view v) override;
  void setMember(std::string_view m) override;
  void zsetMember(std::string_view m, double score) override;
  void hashField(std::string_view f, std::string_view v, int64_t expireAtMs) override;
  void moduleValue(std::string_view module, uint64_t moduleId, const std::vector<ModuleItem>& items) override;
  void endKey() override;

 private:
  void add(std::string_view s);
  void flush();
  void skip(const std::string& reason);

  CommandSink& sink_;
  ImportOptions opt_;
  ImportReport report_;
  // the key being imported
  bool active_ = false;
  bool wrote_ = false;
  std::string key_;
  int64_t expireAt_ = -1;
  const char* verb_ = nullptr;
  std::string arena_;  // the pending command's arguments, back to back
  std::vector<std::pair<size_t, size_t>> spans_;
  Args argv_;
};

class SnapshotLoader : public RdbHandler {
 public:
  explicit SnapshotLoader(Keyspace& ks) : ks_(ks) {}
  uint64_t keys() const { return keys_; }

  void aux(std::string_view key, std::string_view value) override;
  void beginKey(const RdbKey& k) override;
  void moduleValue(std::string_view module, uint64_t moduleId, const std::vector<ModuleItem>& items) override;
  void end() override;

 private:
  Keyspace& ks_;
  std::optional<Keyspace::SnapshotJoin> join_;
  std::string key_;
  uint64_t keys_ = 0;
};

}  // namespace raa
