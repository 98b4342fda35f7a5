// The JS object over an RdbReader: fed chunks of a file, it returns each chunk's records
// as one array of plain objects (one crossing per chunk), and keeps a summary of the file
// (key counts per db, type and encoding) whether or not records are asked for.
#pragma once
#include <napi.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rdb/reader.h"

namespace raa {

class RdbReaderObject : public Napi::ObjectWrap<RdbReaderObject>, private RdbHandler {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit RdbReaderObject(const Napi::CallbackInfo& info);

 private:
  Napi::Value Feed(const Napi::CallbackInfo& info);
  Napi::Value Finish(const Napi::CallbackInfo& info);
  Napi::Value Summary(const Napi::CallbackInfo& info);
  Napi::Value run(Napi::Env env, const uint8_t* data, size_t len, bool finish);

  // RdbHandler
  void aux(std::string_view key, std::string_view value) override;
  void function(std::string_view code) override;
  void moduleAux(std::string_view module) override;
  void beginKey(const RdbKey& k) override;
  void stringValue(std::string_view v) override;
  void listItem(std::string_view v) override;
  void setMember(std::string_view m) override;
  void zsetMember(std::string_view m, double score) override;
  void hashField(std::string_view f, std::string_view v, int64_t expireAtMs) override;
  void stream(const RdbStream& s) override;
  void moduleValue(std::string_view module, uint64_t moduleId, const std::vector<ModuleItem>& items) override;
  void endKey() override;

  std::unique_ptr<RdbReader> reader_;
  bool records_ = true;
  // during a feed: where records go
  Napi::Env env_ = nullptr;
  Napi::Array out_;
  uint32_t outLen_ = 0;
  void push(Napi::Value v) { out_.Set(outLen_++, v); }
  // the key being read
  RdbKey key_;
  std::string keyName_;
  std::vector<std::string> items_;
  std::vector<double> scores_;
  std::vector<int64_t> ttls_;
  Napi::Value value_;  // streams and strings, built at once
  std::string module_;
  // summary
  struct DbSummary {
    uint64_t keys = 0, expires = 0;
    std::map<std::string, std::map<std::string, uint64_t>> types;
  };
  std::map<uint64_t, DbSummary> dbs_;
  std::vector<std::pair<std::string, std::string>> aux_;
  uint64_t functions_ = 0;
  std::map<std::string, uint64_t> modules_;
};

}  // namespace raa
