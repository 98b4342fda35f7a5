// The Node-API surface of the native core: one class, NativeKeyspace, and the allocator's
// count of bytes in use (INFO's used_memory). lib/ wraps them.
#include <napi.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "keyspace_object.h"

// Bytes the C allocator has handed out and not taken back; -1 where it cannot tell.
static Napi::Value MallocInUse(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 m = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(m.uordblks + m.hblkhd));
#else
  return Napi::Number::New(info.Env(), -1);
#endif
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeKeyspace", raa::KeyspaceObject::Define(env));
  exports.Set("mallocInUse", Napi::Function::New(env, MallocInUse));
  return exports;
}

NODE_API_MODULE(redis_active_active, Init)
