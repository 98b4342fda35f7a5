// The Node-API surface of the native core: one class, NativeKeyspace. lib/ wraps it.
#include <napi.h>

#include "keyspace_object.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeKeyspace", raa::KeyspaceObject::Define(env));
  return exports;
}

NODE_API_MODULE(redis_active_active, Init)
