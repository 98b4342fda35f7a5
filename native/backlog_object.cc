#include "backlog_object.h"

#include <cmath>

namespace raa {

namespace {
// Offsets cross as JS numbers: exact up to 2^53 bytes (8 PB) of stream.
uint64_t offsetArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != std::floor(d))
    throw Napi::RangeError::New(info.Env(), std::string(what) + " must be an integer from 0 to 2^53-1");
  return static_cast<uint64_t>(d);
}

size_t capacityArg(const Napi::CallbackInfo& info, size_t i) {
  uint64_t c = offsetArg(info, i, "capacity");
  if (c == 0 || c > (uint64_t{1} << 40)) throw Napi::RangeError::New(info.Env(), "capacity must be from 1 byte to 1 TB");
  return static_cast<size_t>(c);
}
}  // namespace

Napi::Function BacklogObject::Define(Napi::Env env) {
  return DefineClass(env, "Backlog",
                     {
                         InstanceMethod("spans", &BacklogObject::Spans),
                         InstanceMethod("ring", &BacklogObject::Ring),
                         InstanceMethod("position", &BacklogObject::PositionArray),
                         InstanceMethod("resize", &BacklogObject::Resize),
                         InstanceMethod("reset", &BacklogObject::Reset),
                     });
}

// new Backlog(capacity, masterReplOffset)
BacklogObject::BacklogObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BacklogObject>(info) {
  size_t capacity = capacityArg(info, 0);
  uint64_t offset = info.Length() > 1 ? offsetArg(info, 1, "masterReplOffset") : 0;
  backlog_ = std::make_unique<Backlog>(capacity, offset);
  shareRing(info.Env());
}

void BacklogObject::shareRing(Napi::Env env) {
  auto* share = new std::shared_ptr<uint8_t[]>(backlog_->ring());
  ring_ = Napi::Persistent(Napi::ArrayBuffer::New(
      env, share->get(), backlog_->capacity(), [](Napi::Env, void*, std::shared_ptr<uint8_t[]>* s) { delete s; }, share));
}

// spans(offset): [start, length, start, length] of the ring holding the bytes from offset
// to the last (empty when nothing is missing); throws when offset is not held.
Napi::Value BacklogObject::Spans(const Napi::CallbackInfo& info) {
  uint64_t offset = offsetArg(info, 0, "offset");
  if (!backlog_->holds(offset))
    throw Napi::RangeError::New(info.Env(), "offset " + std::to_string(offset) + " is not held by the backlog");
  Backlog::Span s[2];
  int n = backlog_->spans(offset, s);
  Napi::Array out = Napi::Array::New(info.Env(), 2 * n);
  for (int i = 0; i < n; i++) {
    out.Set(2 * i, static_cast<double>(s[i].start));
    out.Set(2 * i + 1, static_cast<double>(s[i].length));
  }
  return out;
}

Napi::Value BacklogObject::Ring(const Napi::CallbackInfo&) { return ring_.Value(); }

// position(): a Float64Array [masterReplOffset, histlen, next] over the backlog's own
// position block (see Backlog::Position), which the lib/ wrapper moves when it appends.
Napi::Value BacklogObject::PositionArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* share = new std::shared_ptr<Backlog::Position>(backlog_->position());
  auto buffer = Napi::ArrayBuffer::New(
      env, share->get(), sizeof(Backlog::Position), [](Napi::Env, void*, std::shared_ptr<Backlog::Position>* s) { delete s; }, share);
  return Napi::Float64Array::New(env, 3, buffer, 0);
}

Napi::Value BacklogObject::Resize(const Napi::CallbackInfo& info) {
  backlog_->resize(capacityArg(info, 0));
  shareRing(info.Env());
  return info.Env().Undefined();
}

Napi::Value BacklogObject::Reset(const Napi::CallbackInfo& info) {
  backlog_->reset(offsetArg(info, 0, "masterReplOffset"));
  return info.Env().Undefined();
}

}  // namespace raa
