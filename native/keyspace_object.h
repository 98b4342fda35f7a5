// The JS object over a native Keyspace. Commands cross in batches: an array of argv
// arrays, or a buffer of RESP requests, returns one buffer of RESP replies.
#pragma once
#include <napi.h>

#include <memory>

#include "crdt/keyspace.h"
#include "resp/request_parser.h"

namespace raa {

class KeyspaceObject : public Napi::ObjectWrap<KeyspaceObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit KeyspaceObject(const Napi::CallbackInfo& info);
  // The keyspace behind a NativeKeyspace (for the RDB loader); throws when closed.
  Keyspace& live(Napi::Env env);

 private:
  Napi::Value Exec(const Napi::CallbackInfo& info);
  Napi::Value ExecMany(const Napi::CallbackInfo& info);
  Napi::Value ExecResp(const Napi::CallbackInfo& info);
  Napi::Value ExecBatch(const Napi::CallbackInfo& info);
  Napi::Value SetProtoMaxBulkLen(const Napi::CallbackInfo& info);
  Napi::Value SetReadOnly(const Napi::CallbackInfo& info);
  Napi::Value PauseWrites(const Napi::CallbackInfo& info);
  Napi::Value Commands(const Napi::CallbackInfo& info);
  Napi::Value Watch(const Napi::CallbackInfo& info);
  Napi::Value Unwatch(const Napi::CallbackInfo& info);
  Napi::Value WatchChanged(const Napi::CallbackInfo& info);
  Napi::Value WatchExpired(const Napi::CallbackInfo& info);
  Napi::Value DrainEffects(const Napi::CallbackInfo& info);
  void RecordEffects(const Napi::CallbackInfo& info);
  Napi::Value ApplyEffects(const Napi::CallbackInfo& info);
  Napi::Value Snapshot(const Napi::CallbackInfo& info);
  Napi::Value LoadSnapshot(const Napi::CallbackInfo& info);
  Napi::Value Digest(const Napi::CallbackInfo& info);
  Napi::Value SetTime(const Napi::CallbackInfo& info);
  Napi::Value ActiveExpire(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value MemoryUsage(const Napi::CallbackInfo& info);
  Napi::Value ToRdb(const Napi::CallbackInfo& info);

  void runArgv(Napi::Env env, napi_value argv, Reply& out);
  struct Span {
    const char* data;  // a Buffer's bytes, or null for bytes in arena_
    size_t offset, length;
  };

  std::unique_ptr<Keyspace> ks_;
  uint16_t instanceId_ = 0;
  bool manualClock_ = false;
  Reply reply_;
  RequestParser parser_;
  RequestParser lookahead_;  // prefetchKeys() parses with its own: no state shared with parser_
  std::vector<std::string_view> lookaheadArgs_;
  // The requests prefetchKeys() parsed, which ExecResp then runs without parsing them again:
  // where each starts and ends in the read, and where its arguments start in parsedArgs_.
  struct Parsed {
    size_t start, end, firstArg;
  };
  std::vector<Parsed> parsed_;
  std::vector<std::string_view> parsedArgs_;
  void prefetchKeys(Keyspace& ks, const uint8_t* data, size_t len);
  Napi::Value writeMode(const Napi::CallbackInfo& info, const char* usage, void (Keyspace::*set)(bool));
  std::vector<std::string_view> args_;
  void reserveArena(size_t bytes);
  std::unique_ptr<char[]> arena_;  // the bytes of arguments passed as JS strings (not zeroed)
  size_t arenaSize_ = 0, arenaUsed_ = 0;
  std::vector<Span> spans_;
  std::string drained_;             // reused by drainEffects()
};

}  // namespace raa
