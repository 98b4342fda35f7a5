// The JS object over a Backlog. The ring's memory is shared with JS as one external
// ArrayBuffer, so reads are views, not copies: spans() says where the bytes are and the lib/
// wrapper makes Buffers over that memory. The ArrayBuffer holds its own share of the ring:
// a view kept past a resize (or past this object) reads old bytes, never freed memory.
#pragma once
#include <napi.h>

#include <memory>

#include "backlog/backlog.h"

namespace raa {

class BacklogObject : public Napi::ObjectWrap<BacklogObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit BacklogObject(const Napi::CallbackInfo& info);

 private:
  Napi::Value Spans(const Napi::CallbackInfo& info);
  Napi::Value Ring(const Napi::CallbackInfo& info);
  Napi::Value PositionArray(const Napi::CallbackInfo& info);
  Napi::Value Resize(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  void shareRing(Napi::Env env);

  std::unique_ptr<Backlog> backlog_;
  Napi::Reference<Napi::ArrayBuffer> ring_;
};

}  // namespace raa
