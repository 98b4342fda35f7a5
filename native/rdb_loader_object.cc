#include "rdb_loader_object.h"

#include "js_options.h"

#include "crdt/commands/table.h"
#include "keyspace_object.h"

namespace raa {

namespace {

constexpr size_t kErrorSamples = 10;

void appendBulk(std::string& out, std::string_view s) {
  out.push_back('$');
  out += std::to_string(s.size());
  out.append("\r\n", 2);
  out.append(s.data(), s.size());
  out.append("\r\n", 2);
}
}  // namespace

Napi::Function RdbLoaderObject::Define(Napi::Env env) {
  return DefineClass(env, "RdbLoader",
                     {
                         InstanceMethod("feed", &RdbLoaderObject::Feed),
                         InstanceMethod("finish", &RdbLoaderObject::Finish),
                         InstanceMethod("report", &RdbLoaderObject::Report),
                     });
}

// new RdbLoader(keyspace: NativeKeyspace | null, { mode, nowMs, db, batchItems, verifyChecksum, allowNewerVersion,
//   prefaultHeap })
RdbLoaderObject::RdbLoaderObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RdbLoaderObject>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[1].IsObject()) throw Napi::TypeError::New(env, "RdbLoader(keyspace | null, options)");
  Napi::Object o = info[1].As<Napi::Object>();
  std::string mode = given(o, "mode") ? o.Get("mode").ToString().Utf8Value() : "writes";
  if (mode == "writes") mode_ = Mode::Writes;
  else if (mode == "resp") mode_ = Mode::Resp;
  else if (mode == "snapshot") mode_ = Mode::Snapshot;
  else throw Napi::TypeError::New(env, "mode must be 'writes', 'resp' or 'snapshot'");
  if (mode_ != Mode::Resp) {
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "modes 'writes' and 'snapshot' need a keyspace");
    Napi::Object ksObj = info[0].As<Napi::Object>();
    ks_ = &KeyspaceObject::Unwrap(ksObj)->live(env);
    target_ = Napi::Persistent(ksObj);
  }
  ImportOptions io;
  if (given(o, "nowMs")) io.nowMs = o.Get("nowMs").ToNumber().Int64Value();
  if (given(o, "db")) {
    double db = o.Get("db").ToNumber().DoubleValue();
    if (!(db >= 0 && db < 1e9) || db != static_cast<int64_t>(db)) throw Napi::RangeError::New(env, "db must be a database number");
    io.onlyDb = static_cast<int64_t>(db);
  }
  if (given(o, "batchItems")) io.batchItems = std::max<int64_t>(1, o.Get("batchItems").ToNumber().Int64Value());
  RdbReaderOptions ro;
  if (given(o, "verifyChecksum")) ro.verifyChecksum = o.Get("verifyChecksum").ToBoolean();
  if (given(o, "allowNewerVersion")) ro.allowNewerVersion = o.Get("allowNewerVersion").ToBoolean();
  RdbHandler* handler;
  if (mode_ == Mode::Snapshot) {
    snapshot_ = std::make_unique<SnapshotLoader>(*ks_);
    handler = snapshot_.get();
  } else {
    importer_ = std::make_unique<RdbImporter>(static_cast<CommandSink&>(*this), io);
    handler = importer_.get();
  }
  reader_ = std::make_unique<RdbReader>(*handler, ro);
  if (ks_ && (!given(o, "prefaultHeap") || o.Get("prefaultHeap").ToBoolean())) prefaulter_ = std::make_unique<HeapPrefaulter>();
}

bool RdbLoaderObject::mayExist(std::string_view key) {
  if (mode_ == Mode::Resp) return true;  // a remote server: DEL costs less than asking
  drainQueue();
  KeyState* k = ks_->find(key);
  return k && k->visibleType() != Type::None;
}

void RdbLoaderObject::command(const Args& argv) {
  if (mode_ == Mode::Resp) {
    resp_.push_back('*');
    resp_ += std::to_string(argv.size());
    resp_.append("\r\n", 2);
    for (std::string_view a : argv) appendBulk(resp_, a);
    return;
  }
  if (argv.size() < 2 || argv[0] != "SET") {
    drainQueue();
    return execute(argv);
  }
  if (queued_ == kQueue) runQueued();
  Queued& q = queue_[(queueHead_ + queued_++) % kQueue];
  if (q.args.size() < argv.size()) q.args.resize(argv.size());
  for (size_t i = 0; i < argv.size(); i++) q.args[i].assign(argv[i].data(), argv[i].size());
  q.n = argv.size();
  ks_->keys().prefetchSlot(KeyTable::tagOf(argv[1]));
}

void RdbLoaderObject::runQueued() {
  Queued& q = queue_[queueHead_];
  queuedArgv_.assign(q.args.begin(), q.args.begin() + static_cast<std::ptrdiff_t>(q.n));
  queueHead_ = (queueHead_ + 1) % kQueue;
  queued_--;
  execute(queuedArgv_);
}

void RdbLoaderObject::drainQueue() {
  while (queued_) runQueued();
}

void RdbLoaderObject::execute(const Args& argv) {
  reply_.clear();
  ks_->exec(argv, reply_);
  if (prefaulter_ && argv.size() > 1) HeapPrefaulter::ahead(ks_->find(argv[1]));  // a key just created
  const std::string& r = reply_.bytes();
  if (!r.empty() && r[0] == '-') {
    errors_++;
    if (errorSamples_.size() < kErrorSamples) errorSamples_.push_back(std::string(argv[0]) + ": " + r.substr(1, r.size() - 3));
  }
}

Napi::Value RdbLoaderObject::run(Napi::Env env, const uint8_t* data, size_t len, bool finish) {
  if (ks_) KeyspaceObject::Unwrap(target_.Value())->live(env);  // closed meanwhile: stop here
  resp_.clear();
  try {
    std::optional<Keyspace::Batch> batch;
    if (ks_) batch.emplace(*ks_);
    try {
      if (finish) reader_->finish();
      else reader_->feed(data, len);
    } catch (const RdbError&) {
      drainQueue();  // what was read before the error is loaded
      throw;
    }
    drainQueue();
  } catch (const RdbError& e) {
    prefaulter_.reset();  // a load that failed is over
    throw Napi::Error::New(env, e.what());
  }
  if (finish) prefaulter_.reset();
  if (mode_ != Mode::Resp) return env.Undefined();
  return Napi::Buffer<char>::Copy(env, resp_.data(), resp_.size());
}

Napi::Value RdbLoaderObject::Feed(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBuffer()) throw Napi::TypeError::New(info.Env(), "feed(chunk: Buffer)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  return run(info.Env(), buf.Data(), buf.Length(), false);
}

Napi::Value RdbLoaderObject::Finish(const Napi::CallbackInfo& info) { return run(info.Env(), nullptr, 0, true); }

Napi::Value RdbLoaderObject::Report(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object r = Napi::Object::New(env);
  r.Set("version", reader_->version());
  r.Set("bytes", static_cast<double>(reader_->offset()));
  r.Set("keysRead", static_cast<double>(reader_->keysRead()));
  r.Set("complete", reader_->done());
  if (snapshot_) {
    r.Set("keys", static_cast<double>(snapshot_->keys()));
    return r;
  }
  const ImportReport& ir = importer_->report();
  r.Set("keys", static_cast<double>(ir.keys));
  r.Set("commands", static_cast<double>(ir.commands));
  r.Set("expiredKeys", static_cast<double>(ir.expiredKeys));
  r.Set("otherDbKeys", static_cast<double>(ir.otherDbKeys));
  r.Set("fieldTtlsDropped", static_cast<double>(ir.fieldTtlsDropped));
  r.Set("expiredFields", static_cast<double>(ir.expiredFields));
  Napi::Object skipped = Napi::Object::New(env);
  for (const auto& [reason, n] : ir.skipped) skipped.Set(reason, static_cast<double>(n));
  r.Set("skipped", skipped);
  r.Set("errors", static_cast<double>(errors_));
  Napi::Array samples = Napi::Array::New(env, errorSamples_.size());
  for (size_t i = 0; i < errorSamples_.size(); i++) samples.Set(i, errorSamples_[i]);
  r.Set("errorSamples", samples);
  return r;
}

}  // namespace raa
