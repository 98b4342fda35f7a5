#include "keyspace_object.h"

#include "js_options.h"

#include <algorithm>
#include <cstring>

#include "crdt/commands/table.h"
#include "rdb/keyspace_rdb.h"

namespace raa {

Napi::Function KeyspaceObject::Define(Napi::Env env) {
  return DefineClass(env, "NativeKeyspace",
                     {
                         InstanceMethod("exec", &KeyspaceObject::Exec),
                         InstanceMethod("execMany", &KeyspaceObject::ExecMany),
                         InstanceMethod("execResp", &KeyspaceObject::ExecResp),
                         InstanceMethod("execBatch", &KeyspaceObject::ExecBatch),
                         InstanceMethod("setProtoMaxBulkLen", &KeyspaceObject::SetProtoMaxBulkLen),
                         InstanceMethod("setReadOnly", &KeyspaceObject::SetReadOnly),
                         InstanceMethod("pauseWrites", &KeyspaceObject::PauseWrites),
                         InstanceMethod("commands", &KeyspaceObject::Commands),
                         InstanceMethod("watch", &KeyspaceObject::Watch),
                         InstanceMethod("unwatch", &KeyspaceObject::Unwatch),
                         InstanceMethod("watchChanged", &KeyspaceObject::WatchChanged),
                         InstanceMethod("watchExpired", &KeyspaceObject::WatchExpired),
                         InstanceMethod("drainEffects", &KeyspaceObject::DrainEffects),
                         InstanceMethod("recordEffects", &KeyspaceObject::RecordEffects),
                         InstanceMethod("applyEffects", &KeyspaceObject::ApplyEffects),
                         InstanceMethod("snapshot", &KeyspaceObject::Snapshot),
                         InstanceMethod("loadSnapshot", &KeyspaceObject::LoadSnapshot),
                         InstanceMethod("digest", &KeyspaceObject::Digest),
                         InstanceMethod("setTime", &KeyspaceObject::SetTime),
                         InstanceMethod("activeExpire", &KeyspaceObject::ActiveExpire),
                         InstanceMethod("stats", &KeyspaceObject::Stats),
                         InstanceMethod("close", &KeyspaceObject::Close),
                         InstanceMethod("memoryUsage", &KeyspaceObject::MemoryUsage),
                         InstanceMethod("toRdb", &KeyspaceObject::ToRdb),
                     });
}

// new NativeKeyspace(instanceId, manualClock, timeMs)
KeyspaceObject::KeyspaceObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<KeyspaceObject>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsBoolean() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "NativeKeyspace(instanceId, manualClock, timeMs)");
  double id = info[0].As<Napi::Number>().DoubleValue();
  if (!(id >= 1 && id <= 65535) || id != static_cast<uint16_t>(id))
    throw Napi::RangeError::New(env, "instanceId must be an integer from 1 to 65535");
  instanceId_ = static_cast<uint16_t>(id);
  manualClock_ = info[1].As<Napi::Boolean>().Value();
  ks_ = std::make_unique<Keyspace>(instanceId_, manualClock_, info[2].As<Napi::Number>().Int64Value());
}

// Bytes made for the caller and not kept (a snapshot, an RDB file: as large as the data)
// are handed to the Buffer, not copied.
static Napi::Buffer<char> ownedBuffer(Napi::Env env, std::string&& s) {
  auto* out = new std::string(std::move(s));
  return Napi::Buffer<char>::New(env, out->data(), out->size(), [](Napi::Env, char*, std::string* p) { delete p; }, out);
}

static Napi::Buffer<uint8_t> toBuffer(Napi::Env env, const std::string& s) {
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

void KeyspaceObject::reserveArena(size_t bytes) {
  if (bytes <= arenaSize_) return;
  size_t size = std::max(bytes, arenaSize_ * 2);
  std::unique_ptr<char[]> bigger(new char[size]);
  if (arenaUsed_) std::memcpy(bigger.get(), arena_.get(), arenaUsed_);
  arena_ = std::move(bigger);
  arenaSize_ = size;
}

// Arguments are read with the raw Node-API calls into one reusable arena: no allocation per
// argument, and Buffers are used in place.
void KeyspaceObject::runArgv(Napi::Env env, napi_value argv, Reply& out) {
  uint32_t n = 0;
  if (napi_get_array_length(env, argv, &n) != napi_ok) throw Napi::TypeError::New(env, "each command must be an array");
  arenaUsed_ = 0;
  spans_.clear();
  constexpr size_t kGuess = 256;  // one copy fits most arguments; ask for the length otherwise
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(env, argv, i, &v);
    size_t len = 0, off = arenaUsed_;
    reserveArena(off + kGuess);
    // Strings are the common case: try them first, so most arguments cost two calls.
    if (napi_get_value_string_utf8(env, v, arena_.get() + off, kGuess, &len) == napi_string_expected) {
      bool isBuffer = false;
      napi_is_buffer(env, v, &isBuffer);
      if (isBuffer) {
        void* data;
        napi_get_buffer_info(env, v, &data, &len);
        spans_.push_back({static_cast<const char*>(data), 0, len});
        continue;
      }
      napi_valuetype type;
      napi_typeof(env, v, &type);
      if (type != napi_number) throw Napi::TypeError::New(env, "command arguments must be strings, Buffers or numbers");
      napi_coerce_to_string(env, v, &v);
      napi_get_value_string_utf8(env, v, arena_.get() + off, kGuess, &len);
    }
    // A character that does not fit is left out whole: within 4 bytes (the longest UTF-8
    // sequence) of the end, the string may go on.
    if (len + 4 > kGuess - 1) {
      napi_get_value_string_utf8(env, v, nullptr, 0, &len);
      reserveArena(off + len + 1);
      napi_get_value_string_utf8(env, v, arena_.get() + off, len + 1, &len);
    }
    arenaUsed_ = off + len;
    spans_.push_back({nullptr, off, len});
  }
  args_.clear();
  for (const Span& s : spans_) args_.emplace_back(s.data ? s.data : arena_.get() + s.offset, s.length);
  live(env).exec(args_, out);
}

Napi::Value KeyspaceObject::Exec(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "exec(argv: array)");
  reply_.clear();
  reply_.setResp3(false);
  runArgv(info.Env(), info[0], reply_);
  return toBuffer(info.Env(), reply_.bytes());
}

Napi::Value KeyspaceObject::ExecMany(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "execMany(commands: array[])");
  Napi::Array cmds = info[0].As<Napi::Array>();
  reply_.clear();
  reply_.setResp3(info.Length() > 1 && info[1].ToBoolean().Value());  // execMany(commands, resp3?)
  Keyspace::Batch batch(live(info.Env()));
  for (uint32_t i = 0, n = cmds.Length(); i < n; i++) {
    napi_value cmd;
    napi_get_element(info.Env(), cmds, i, &cmd);
    runArgv(info.Env(), cmd, reply_);  // throws a TypeError unless cmd is an array
  }
  live(info.Env()).activeExpire(20);
  return toBuffer(info.Env(), reply_.bytes());
}

// A pipelined read holds many requests whose keys are scattered in memory: looked up one by
// one, each costs a few cache misses in a row. A first pass reads the first argument of up
// to kPrefetch requests (most commands' key), and the hash field or set member of those
// that look one up, and the keyspace hints them in stages (Keyspace::prefetch), so that
// the misses overlap; the requests then run as usual, from what this pass parsed (parsed_).
// Only a hint: requests that do not parse here are simply not hinted.
void KeyspaceObject::prefetchKeys(Keyspace& ks, const uint8_t* data, size_t len) {
  constexpr size_t kPrefetch = 32;
  std::string_view keys[kPrefetch], members[kPrefetch];
  size_t n = 0, pos = 0;
  std::string error;
  lookahead_.maxBulk = parser_.maxBulk;  // the same limits: what parses here parses there
  lookahead_.unauthenticated = parser_.unauthenticated;
  // Bounded in requests too: a read of many requests without a key (PING) that the server
  // runs one per call would otherwise be parsed ahead to its end on every call.
  while (n < kPrefetch && parsed_.size() < 2 * kPrefetch && pos < len && data[pos] == '*') {
    size_t start = pos;
    if (lookahead_.next(data, len, pos, lookaheadArgs_, error) != 1) break;
    parsed_.push_back({start, pos, parsedArgs_.size()});
    parsedArgs_.insert(parsedArgs_.end(), lookaheadArgs_.begin(), lookaheadArgs_.end());
    if (lookaheadArgs_.size() < 2) continue;
    const CommandSpec* spec = findCommand(lookaheadArgs_[0]);
    size_t member = spec ? spec->memberArg : 0;
    members[n] = member && member < lookaheadArgs_.size() ? lookaheadArgs_[member] : std::string_view();
    keys[n++] = lookaheadArgs_[1];
  }
  if (n < 2) return;  // one request: nothing to overlap
  ks.prefetch(keys, members, n);
}

// execResp(buf, resp3, queueAll, unauthenticated, replyArea?, progress?) ->
//   [replies | length in replyArea, consumed, protocolError?, handOver?]
// Runs the complete requests at the start of a socket read and stops at the first one the
// keyspace does not execute: a connection or server command (or, with queueAll, any
// command: the connection is queueing a transaction or not yet authenticated). That
// request comes back as `handOver`, an array of Buffers, with `consumed` past it. It also
// stops once the replies reach about 1 MB; the caller calls again for the rest.
Napi::Value KeyspaceObject::ExecResp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsBuffer() || !info[1].IsBoolean() || !info[2].IsBoolean() || !info[3].IsBoolean())
    throw Napi::TypeError::New(env, "execResp(buf: Buffer, resp3: boolean, queueAll: boolean, unauthenticated: boolean)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  bool queueAll = info[2].As<Napi::Boolean>().Value();
  parser_.unauthenticated = info[3].As<Napi::Boolean>().Value();  // Redis's tighter limits before AUTH
  Keyspace& ks = live(env);
  Keyspace::Batch batch(ks);
  reply_.clear();
  reply_.setResp3(info[1].As<Napi::Boolean>().Value());
  size_t pos = 0;
  std::string error;
  bool handOver = false;
  parsed_.clear();
  parsedArgs_.clear();
  if (!queueAll) prefetchKeys(ks, buf.Data(), buf.Length());
  // Replies are returned in slices of about kReplySlice bytes, so that the server can stop
  // reading from a client whose replies pile up (a pipeline of GETs of large values).
  constexpr size_t kReplySlice = 1 << 20;
  // The client's progress through an incomplete request at the start of buf (a Float64Array
  // of two it keeps between calls), so that a request of many arguments is read once.
  RequestParser::Progress progress;
  double* saved = nullptr;
  if (info.Length() > 5 && info[5].IsTypedArray() && info[5].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array &&
      info[5].As<Napi::Float64Array>().ElementLength() >= 2) {
    saved = info[5].As<Napi::Float64Array>().Data();
    progress = {static_cast<uint64_t>(saved[0]), static_cast<uint64_t>(saved[1])};
  }
  size_t ahead = 0;  // the next of parsed_
  auto nextRequest = [&] {
    // A request that prefetchKeys() parsed, unless the read resumes one parsed in part.
    if (ahead < parsed_.size() && parsed_[ahead].start == pos && progress.offset == 0) {
      const Parsed& p = parsed_[ahead++];
      size_t last = ahead < parsed_.size() ? parsed_[ahead].firstArg : parsedArgs_.size();
      args_.assign(parsedArgs_.begin() + p.firstArg, parsedArgs_.begin() + last);
      pos = p.end;
      return 1;
    }
    return parser_.next(buf.Data(), buf.Length(), pos, args_, error, saved ? &progress : nullptr);
  };
  while (!handOver && reply_.bytes().size() < kReplySlice && nextRequest() == 1) {
    const CommandSpec* spec = queueAll ? nullptr : findCommand(args_[0]);
    handOver = !spec || ks.handsOver(spec);
    if (!handOver) ks.exec(spec, args_, reply_);
  }
  ks.activeExpire(20);
  if (saved) {
    saved[0] = static_cast<double>(progress.offset);
    saved[1] = static_cast<double>(progress.args);
  }
  Napi::Array out = Napi::Array::New(env, handOver ? 4 : 3);
  // With a reply area (a Buffer the caller reuses) the replies are copied into it and their
  // length returned: no new Buffer for V8 to allocate, track and sweep on every read.
  const std::string& replies = reply_.bytes();
  if (info.Length() > 4 && info[4].IsBuffer() && info[4].As<Napi::Buffer<char>>().Length() >= replies.size()) {
    std::memcpy(info[4].As<Napi::Buffer<char>>().Data(), replies.data(), replies.size());
    out.Set(0u, Napi::Number::New(env, static_cast<double>(replies.size())));
  } else {
    out.Set(0u, toBuffer(env, replies));
  }
  out.Set(1u, Napi::Number::New(env, static_cast<double>(pos)));
  out.Set(2u, error.empty() ? env.Undefined() : Napi::String::New(env, error));
  if (handOver) {
    Napi::Array argv = Napi::Array::New(env, args_.size());
    for (size_t i = 0; i < args_.size(); i++)
      argv.Set(i, Napi::Buffer<char>::Copy(env, args_[i].data(), args_[i].size()));
    out.Set(3u, argv);
  }
  return out;
}

// execBatch(buf, resp3) -> replies: runs every RESP request in buf, which the embedded API
// encoded from argv arrays (execMany): nothing is handed over (an unknown command gets its
// error reply), the parser's limits are the defaults, and input that does not parse whole
// is a caller's bug, thrown.
Napi::Value KeyspaceObject::ExecBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsBuffer() || !info[1].IsBoolean())
    throw Napi::TypeError::New(env, "execBatch(buf: Buffer, resp3: boolean)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  Keyspace& ks = live(env);
  Keyspace::Batch batch(ks);
  reply_.clear();
  reply_.setResp3(info[1].As<Napi::Boolean>().Value());
  static RequestParser parser;  // default limits; the server's own parser_ has its settings
  size_t pos = 0;
  std::string error;
  while (pos < buf.Length()) {
    if (parser.next(buf.Data(), buf.Length(), pos, args_, error) != 1)
      throw Napi::Error::New(env, "execBatch: malformed batch at byte " + std::to_string(pos) + (error.empty() ? "" : ": " + error));
    ks.exec(args_, reply_);
  }
  ks.activeExpire(20);
  return toBuffer(env, reply_.bytes());
}

// setProtoMaxBulkLen(bytes): the largest argument execResp accepts (proto-max-bulk-len).
Napi::Value KeyspaceObject::SetProtoMaxBulkLen(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "setProtoMaxBulkLen(bytes: number)");
  parser_.maxBulk = info[0].As<Napi::Number>().Int64Value();
  return info.Env().Undefined();
}

// (on, writeCommands?): switches a mode that applies to the commands that write, named by
// the server's command table (the core keeps no flags).
Napi::Value KeyspaceObject::writeMode(const Napi::CallbackInfo& info, const char* usage, void (Keyspace::*set)(bool)) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBoolean()) throw Napi::TypeError::New(env, usage);
  Keyspace& ks = live(env);
  if (info.Length() > 1 && info[1].IsArray()) {
    std::unordered_set<const CommandSpec*> writes;
    Napi::Array names = info[1].As<Napi::Array>();
    for (uint32_t i = 0, n = names.Length(); i < n; i++) {
      Napi::Value v = names[i];
      if (!v.IsString()) throw Napi::TypeError::New(env, "writeCommands must be strings");
      if (const CommandSpec* spec = findCommand(v.As<Napi::String>().Utf8Value())) writes.insert(spec);
    }
    ks.setWriteCommands(std::move(writes));
  }
  (ks.*set)(info[0].As<Napi::Boolean>().Value());
  return env.Undefined();
}

// setReadOnly(on, writeCommands?): a read-only replica refuses the commands that write.
Napi::Value KeyspaceObject::SetReadOnly(const Napi::CallbackInfo& info) {
  return writeMode(info, "setReadOnly(on: boolean, writeCommands?: string[])", &Keyspace::setReadOnly);
}

// pauseWrites(on, writeCommands?): execResp hands the commands that write back to the server.
Napi::Value KeyspaceObject::PauseWrites(const Napi::CallbackInfo& info) {
  return writeMode(info, "pauseWrites(on: boolean, writeCommands?: string[])", &Keyspace::setWritesPaused);
}

// WATCH support, for the server's transactions: keys come as arrays of Buffers.
template <class F>
static void forEachKey(const Napi::CallbackInfo& info, const char* usage, F&& f) {
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), usage);
  Napi::Array keys = info[0].As<Napi::Array>();
  for (uint32_t i = 0, n = keys.Length(); i < n; i++) {
    Napi::Value v = keys[i];
    if (!v.IsBuffer()) throw Napi::TypeError::New(info.Env(), usage);
    auto b = v.As<Napi::Buffer<char>>();
    f(std::string_view(b.Data(), b.Length()));
  }
}

// watch(keys) -> the change number to pass to watchChanged() at EXEC.
Napi::Value KeyspaceObject::Watch(const Napi::CallbackInfo& info) {
  WatchedKeys& w = live(info.Env()).watched();
  forEachKey(info, "watch(keys: Buffer[])", [&](std::string_view k) { w.watch(k); });
  return Napi::Number::New(info.Env(), static_cast<double>(w.now()));
}

Napi::Value KeyspaceObject::Unwatch(const Napi::CallbackInfo& info) {
  WatchedKeys& w = live(info.Env()).watched();
  forEachKey(info, "unwatch(keys: Buffer[])", [&](std::string_view k) { w.unwatch(k); });
  return info.Env().Undefined();
}

// A key that is there but whose TTL has passed (no command would see it).
static bool heldButExpired(Keyspace& ks, std::string_view key) {
  const KeyState* k = ks.find(key);
  return k && k->visibleType() != Type::None && ks.isExpired(*k);
}

// watchExpired(keys) -> per key, whether its TTL had already passed (at WATCH time).
Napi::Value KeyspaceObject::WatchExpired(const Napi::CallbackInfo& info) {
  Keyspace& ks = live(info.Env());
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  forEachKey(info, "watchExpired(keys: Buffer[])", [&](std::string_view k) { out.Set(i++, heldButExpired(ks, k)); });
  return out;
}

// watchChanged(keys, since, expiredAtWatch?) -> whether any of the keys changed after
// `since`. A key whose TTL had passed at WATCH time counts as changed only if it is now
// there and live: someone wrote it. Its deletion (lazy or active expiry, DEL) changes
// nothing a client could see, so EXEC goes on, as in Redis 7.0.
Napi::Value KeyspaceObject::WatchChanged(const Napi::CallbackInfo& info) {
  if (info.Length() < 2 || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "watchChanged(keys, since, expiredAtWatch?)");
  Keyspace& ks = live(info.Env());
  uint64_t since = static_cast<uint64_t>(info[1].As<Napi::Number>().Int64Value());
  Napi::Array expired = info.Length() > 2 && info[2].IsArray() ? info[2].As<Napi::Array>() : Napi::Array();
  bool changed = false;
  uint32_t i = 0;
  forEachKey(info, "watchChanged(keys: Buffer[], since, expiredAtWatch?)", [&](std::string_view k) {
    bool wasExpired = !expired.IsEmpty() && i < expired.Length() && expired.Get(i).ToBoolean();
    i++;
    if (changed) return;
    if (!wasExpired) {
      changed = ks.watchedKeyChanged(k, since);
      return;
    }
    const KeyState* state = ks.find(k);
    changed = state && state->visibleType() != Type::None && !ks.isExpired(*state);
  });
  return Napi::Boolean::New(info.Env(), changed);
}

// commands() -> [name, arity][] of the keyspace's command table.
Napi::Value KeyspaceObject::Commands(const Napi::CallbackInfo& info) {
  std::vector<CommandSpec> specs = allCommands();
  Napi::Array out = Napi::Array::New(info.Env(), specs.size());
  for (size_t i = 0; i < specs.size(); i++) {
    Napi::Array spec = Napi::Array::New(info.Env(), 2);
    spec.Set(0u, specs[i].name);
    spec.Set(1u, specs[i].arity);
    out.Set(i, spec);
  }
  return out;
}

void KeyspaceObject::RecordEffects(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBoolean()) throw Napi::TypeError::New(info.Env(), "recordEffects(on: boolean)");
  live(info.Env()).recordEffects(info[0].As<Napi::Boolean>().Value());
}

Napi::Value KeyspaceObject::DrainEffects(const Napi::CallbackInfo& info) {
  live(info.Env()).drainEffects(drained_);
  return toBuffer(info.Env(), drained_);
}

static void throwDecode(Napi::Env env, const DecodeError& e) {
  throw Napi::Error::New(env, std::string("invalid effects: ") + e.what());
}

Napi::Value KeyspaceObject::ApplyEffects(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBuffer()) throw Napi::TypeError::New(info.Env(), "applyEffects(buf: Buffer)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  try {
    live(info.Env()).applyEffects(buf.Data(), buf.Length());
  } catch (const DecodeError& e) {
    throwDecode(info.Env(), e);
  } catch (const std::exception& e) {  // e.g. out of memory while merging: a JS error, not an abort
    throw Napi::Error::New(info.Env(), std::string("applyEffects failed: ") + e.what());
  }
  return info.Env().Undefined();
}

Napi::Value KeyspaceObject::Snapshot(const Napi::CallbackInfo& info) { return ownedBuffer(info.Env(), live(info.Env()).snapshot()); }

// loadSnapshot(buf): replaces this (fresh) keyspace's state with the snapshot's.
Napi::Value KeyspaceObject::LoadSnapshot(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBuffer()) throw Napi::TypeError::New(info.Env(), "loadSnapshot(buf: Buffer)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  try {
    ks_ = Keyspace::fromSnapshot(buf.Data(), buf.Length(), instanceId_, manualClock_, live(info.Env()).nowMs());
  } catch (const DecodeError& e) {
    throw Napi::Error::New(info.Env(), std::string("invalid snapshot: ") + e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("loading the snapshot failed: ") + e.what());
  }
  return info.Env().Undefined();
}

Napi::Value KeyspaceObject::Digest(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), live(info.Env()).digest());
}

Napi::Value KeyspaceObject::SetTime(const Napi::CallbackInfo& info) {
  if (!manualClock_) throw Napi::Error::New(info.Env(), "setTime() needs a keyspace created with a manual clock (time option)");
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "setTime(ms: number)");
  live(info.Env()).setTime(info[0].As<Napi::Number>().Int64Value());
  return info.Env().Undefined();
}

Napi::Value KeyspaceObject::ActiveExpire(const Napi::CallbackInfo& info) {
  uint32_t budget = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 1000;
  return Napi::Number::New(info.Env(), static_cast<double>(live(info.Env()).activeExpire(budget)));
}

Keyspace& KeyspaceObject::live(Napi::Env env) {
  if (!ks_) throw Napi::Error::New(env, "the keyspace is closed");
  return *ks_;
}

// close(): frees the native data now rather than when the garbage collector gets to it
// (V8 does not see the native memory, so it would not hurry).
Napi::Value KeyspaceObject::Close(const Napi::CallbackInfo& info) {
  ks_.reset();
  return info.Env().Undefined();
}

// memoryUsage() walks every key: kept out of stats(), which a server calls often.
Napi::Value KeyspaceObject::MemoryUsage(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(live(info.Env()).memoryUsage()));
}

Napi::Value KeyspaceObject::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  const KeyspaceStats& s = live(info.Env()).stats();
  auto num = [&](const char* k, double v) { o.Set(k, Napi::Number::New(env, v)); };
  num("instanceId", instanceId_);
  num("keys", static_cast<double>(live(info.Env()).keyCount()));
  num("storedKeys", static_cast<double>(live(info.Env()).storedKeys()));
  num("volatileKeys", static_cast<double>(live(info.Env()).volatileKeys()));
  num("tombstones", static_cast<double>(live(info.Env()).counterTombstones()));
  num("contextCloud", static_cast<double>(live(info.Env()).context().cloudSize()));
  num("effectsApplied", static_cast<double>(s.effectsApplied));
  num("effectsEmitted", static_cast<double>(s.effectsEmitted));
  num("batchesApplied", static_cast<double>(s.batchesApplied));
  num("snapshotsApplied", static_cast<double>(s.snapshotsApplied));
  num("expiredDeleted", static_cast<double>(s.expiredDeleted));
  num("tombstonesCollected", static_cast<double>(s.tombstonesCollected));
  num("commands", static_cast<double>(s.commands));
  Napi::Object vc = Napi::Object::New(env);
  for (const auto& o2 : live(info.Env()).context().origins())
    vc.Set(std::to_string(o2.id), Napi::Number::New(env, static_cast<double>(o2.contiguous)));
  o.Set("vectorClock", vc);
  return o;
}

}  // namespace raa

namespace raa {

// toRdb({ crdt = false, compress = true, usedMemory = 0, aux = {} }): the keyspace as an RDB
// file, plain Redis types or the CRDT form (rdb/keyspace_rdb.h).
Napi::Value KeyspaceObject::ToRdb(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RdbExportOptions o;
  if (info.Length() > 0 && info[0].IsObject()) {
    Napi::Object opt = info[0].As<Napi::Object>();
    if (given(opt, "crdt")) o.crdt = opt.Get("crdt").ToBoolean();
    if (given(opt, "compress")) o.compress = opt.Get("compress").ToBoolean();
    if (given(opt, "usedMemory")) o.usedMemory = opt.Get("usedMemory").ToNumber().Int64Value();
    if (given(opt, "aux") && opt.Get("aux").IsObject()) {
      Napi::Object aux = opt.Get("aux").As<Napi::Object>();
      Napi::Array names = aux.GetPropertyNames();
      for (uint32_t i = 0; i < names.Length(); i++) {
        std::string k = names.Get(i).ToString();
        o.aux.emplace_back(k, aux.Get(k).ToString().Utf8Value());
      }
    }
  }
  return ownedBuffer(env, writeKeyspaceRdb(live(env), o));
}

}  // namespace raa
