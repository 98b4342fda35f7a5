// Reading an options object passed from JS.
#pragma once
#include <napi.h>

namespace raa {

// An option that is there and not undefined: { db: undefined } means no db, as in JS.
inline bool given(const Napi::Object& o, const char* name) { return o.Has(name) && !o.Get(name).IsUndefined(); }

}  // namespace raa
