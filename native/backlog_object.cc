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
                         InstanceMethod("append", &BacklogObject::Append),
                         InstanceMethod("holds", &BacklogObject::Holds),
                         InstanceMethod("spans", &BacklogObject::Spans),
                         InstanceMethod("ring", &BacklogObject::Ring),
                         InstanceMethod("resize", &BacklogObject::Resize),
                         InstanceMethod("reset", &BacklogObject::Reset),
                         InstanceMethod("state", &BacklogObject::State),
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

// append(bytes: Buffer): the new master_repl_offset
Napi::Value BacklogObject::Append(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBuffer()) throw Napi::TypeError::New(info.Env(), "append(bytes: Buffer)");
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  backlog_->append(b.Data(), b.Length());
  return Napi::Number::New(info.Env(), static_cast<double>(backlog_->masterReplOffset()));
}

Napi::Value BacklogObject::Holds(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), backlog_->holds(offsetArg(info, 0, "offset")));
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

Napi::Value BacklogObject::Resize(const Napi::CallbackInfo& info) {
  backlog_->resize(capacityArg(info, 0));
  shareRing(info.Env());
  return info.Env().Undefined();
}

Napi::Value BacklogObject::Reset(const Napi::CallbackInfo& info) {
  backlog_->reset(offsetArg(info, 0, "masterReplOffset"));
  return info.Env().Undefined();
}

Napi::Value BacklogObject::State(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object s = Napi::Object::New(env);
  s.Set("masterReplOffset", static_cast<double>(backlog_->masterReplOffset()));
  s.Set("firstByteOffset", static_cast<double>(backlog_->firstByteOffset()));
  s.Set("histlen", static_cast<double>(backlog_->histlen()));
  s.Set("capacity", static_cast<double>(backlog_->capacity()));
  return s;
}

}  // namespace raa
