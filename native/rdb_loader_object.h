// The JS object that loads an RDB file fed in chunks, without surfacing its entries to JS:
// - mode 'writes': plain values become local writes of a keyspace (they replicate);
// - mode 'resp': the same commands as RESP bytes, returned per chunk, for a running server;
// - mode 'snapshot': this project's CRDT form joined into a keyspace (a full sync).
#pragma once
#include <napi.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "crdt/reply.h"
#include "rdb/heap_prefaulter.h"
#include "rdb/importer.h"

namespace raa {

class RdbLoaderObject : public Napi::ObjectWrap<RdbLoaderObject>, private CommandSink {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit RdbLoaderObject(const Napi::CallbackInfo& info);

 private:
  Napi::Value Feed(const Napi::CallbackInfo& info);
  Napi::Value Finish(const Napi::CallbackInfo& info);
  Napi::Value Report(const Napi::CallbackInfo& info);
  Napi::Value run(Napi::Env env, const uint8_t* data, size_t len, bool finish);

  // CommandSink
  bool mayExist(std::string_view key) override;
  void command(const Args& argv) override;
  void execute(const Args& argv);
  void runQueued();
  void drainQueue();

  enum class Mode { Writes, Resp, Snapshot } mode_ = Mode::Writes;
  Napi::ObjectReference target_;  // keeps the keyspace's JS object alive while loading
  Keyspace* ks_ = nullptr;
  std::unique_ptr<RdbImporter> importer_;
  std::unique_ptr<SnapshotLoader> snapshot_;
  std::unique_ptr<RdbReader> reader_;
  std::unique_ptr<HeapPrefaulter> prefaulter_;  // while a load into a keyspace is under way
  std::string resp_;  // mode 'resp': commands of the current chunk
  // Mode 'writes': SETs wait in a short queue before they run, so that the cache miss on
  // each new key's slot in the key table (a file's keys come in no order of their slots)
  // overlaps with the reading of the next keys instead of stalling the load. Anything else
  // runs once the queue is empty, so commands still run in the file's order.
  static constexpr size_t kQueue = 8;
  struct Queued {
    std::vector<std::string> args;  // reused: a load of small strings allocates nothing here
    size_t n = 0;
  };
  Queued queue_[kQueue];
  size_t queueHead_ = 0, queued_ = 0;
  Args queuedArgv_;
  Reply reply_;
  uint64_t errors_ = 0;
  std::vector<std::string> errorSamples_;
};

}  // namespace raa
