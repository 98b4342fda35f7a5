// The Node-API surface of the native core: NativeKeyspace, RdbReader, RdbLoader, Backlog, Redis's glob matching
// (for the server's CONFIG GET and COMMAND LIST, the same as KEYS uses) and the allocator's
// count of bytes in use (INFO's used_memory). lib/ wraps them.
#include <napi.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "crdt/glob.h"
#include "backlog_object.h"
#include "keyspace_object.h"
#include "rdb_loader_object.h"
#include "rdb_reader_object.h"

// Bytes the C allocator has handed out and not taken back; -1 where it cannot tell.
static Napi::Value MallocInUse(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 m = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(m.uordblks + m.hblkhd));
#else
  return Napi::Number::New(info.Env(), -1);
#endif
}

// globMatch(pattern, text): both strings, matched as UTF-8 bytes.
static Napi::Value GlobMatch(const Napi::CallbackInfo& info) {
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(info.Env(), "globMatch(pattern: string, text: string)");
  std::string pattern = info[0].As<Napi::String>(), text = info[1].As<Napi::String>();
  return Napi::Boolean::New(info.Env(), raa::globMatch(pattern, text));
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeKeyspace", raa::KeyspaceObject::Define(env));
  exports.Set("Backlog", raa::BacklogObject::Define(env));
  exports.Set("RdbReader", raa::RdbReaderObject::Define(env));
  exports.Set("RdbLoader", raa::RdbLoaderObject::Define(env));
  exports.Set("mallocInUse", Napi::Function::New(env, MallocInUse));
  exports.Set("globMatch", Napi::Function::New(env, GlobMatch));
  return exports;
}

NODE_API_MODULE(redis_active_active, Init)
