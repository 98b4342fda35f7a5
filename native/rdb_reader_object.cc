#include "rdb_reader_object.h"

#include "js_options.h"

#include <cmath>

namespace raa {

namespace {

// Strict UTF-8 (no overlongs, no surrogates): text that is not becomes a Buffer, so JS can
// tell bytes from text and nothing is silently replaced by U+FFFD.
bool validUtf8(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      p++;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
    else return false;
    if (end - p <= n) return false;
    for (int i = 1; i <= n; i++) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += n + 1;
  }
  return true;
}

Napi::Value text(Napi::Env env, std::string_view s) {
  if (validUtf8(s)) return Napi::String::New(env, s.data(), s.size());
  return Napi::Buffer<char>::Copy(env, s.data(), s.size());
}

std::string idText(const StreamId& id) { return std::to_string(id.ms) + "-" + std::to_string(id.seq); }

Napi::Value score(Napi::Env env, double d) {
  if (std::isinf(d)) return Napi::String::New(env, d > 0 ? "inf" : "-inf");
  return Napi::Number::New(env, d);
}
}  // namespace

Napi::Function RdbReaderObject::Define(Napi::Env env) {
  return DefineClass(env, "RdbReader",
                     {
                         InstanceMethod("feed", &RdbReaderObject::Feed),
                         InstanceMethod("finish", &RdbReaderObject::Finish),
                         InstanceMethod("summary", &RdbReaderObject::Summary),
                     });
}

// new RdbReader({ records = true, verifyChecksum = true, allowNewerVersion = false })
RdbReaderObject::RdbReaderObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RdbReaderObject>(info) {
  RdbReaderOptions opt;
  if (info.Length() > 0 && info[0].IsObject()) {
    Napi::Object o = info[0].As<Napi::Object>();
    if (given(o, "records")) records_ = o.Get("records").ToBoolean();
    if (given(o, "verifyChecksum")) opt.verifyChecksum = o.Get("verifyChecksum").ToBoolean();
    if (given(o, "allowNewerVersion")) opt.allowNewerVersion = o.Get("allowNewerVersion").ToBoolean();
  }
  reader_ = std::make_unique<RdbReader>(static_cast<RdbHandler&>(*this), opt);
}

Napi::Value RdbReaderObject::run(Napi::Env env, const uint8_t* data, size_t len, bool finish) {
  env_ = env;
  out_ = Napi::Array::New(env);
  outLen_ = 0;
  try {
    if (finish) reader_->finish();
    else reader_->feed(data, len);
  } catch (const RdbError& e) {
    throw Napi::Error::New(env, e.what());
  }
  Napi::Array out = out_;
  out_ = Napi::Array();
  return out;
}

// feed(chunk: Buffer): records of every complete unit in it.
Napi::Value RdbReaderObject::Feed(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBuffer()) throw Napi::TypeError::New(info.Env(), "feed(chunk: Buffer)");
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  return run(info.Env(), buf.Data(), buf.Length(), false);
}

// finish(): the input ended; throws when the file is incomplete.
Napi::Value RdbReaderObject::Finish(const Napi::CallbackInfo& info) { return run(info.Env(), nullptr, 0, true); }

Napi::Value RdbReaderObject::Summary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object s = Napi::Object::New(env);
  s.Set("version", reader_->version());
  s.Set("bytes", static_cast<double>(reader_->offset()));
  s.Set("keys", static_cast<double>(reader_->keysRead()));
  s.Set("complete", reader_->done());
  s.Set("buffered", static_cast<double>(reader_->buffered()));
  s.Set("retries", static_cast<double>(reader_->retries()));
  Napi::Object aux = Napi::Object::New(env);
  for (auto& [k, v] : aux_) aux.Set(k, v);
  s.Set("aux", aux);
  Napi::Object dbs = Napi::Object::New(env);
  for (auto& [db, d] : dbs_) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("keys", static_cast<double>(d.keys));
    o.Set("expires", static_cast<double>(d.expires));
    Napi::Object types = Napi::Object::New(env);
    for (auto& [t, encs] : d.types) {
      Napi::Object e = Napi::Object::New(env);
      for (auto& [enc, n] : encs) e.Set(enc, static_cast<double>(n));
      types.Set(t, e);
    }
    o.Set("types", types);
    dbs.Set(std::to_string(db), o);
  }
  s.Set("databases", dbs);
  s.Set("functions", static_cast<double>(functions_));
  Napi::Object mods = Napi::Object::New(env);
  for (auto& [m, n] : modules_) mods.Set(m, static_cast<double>(n));
  s.Set("modules", mods);
  return s;
}

void RdbReaderObject::aux(std::string_view key, std::string_view value) {
  aux_.emplace_back(std::string(key), std::string(value));
  if (!records_) return;
  Napi::Object o = Napi::Object::New(env_);
  o.Set("kind", "aux");
  o.Set("key", text(env_, key));
  o.Set("value", text(env_, value));
  push(o);
}

void RdbReaderObject::function(std::string_view code) {
  functions_++;
  if (!records_) return;
  Napi::Object o = Napi::Object::New(env_);
  o.Set("kind", "function");
  o.Set("code", text(env_, code));
  push(o);
}

void RdbReaderObject::moduleAux(std::string_view module) { modules_[std::string(module) + " (aux)"]++; }

void RdbReaderObject::beginKey(const RdbKey& k) {
  key_ = k;
  DbSummary& d = dbs_[k.db];
  d.keys++;
  if (k.expireAtMs >= 0) d.expires++;
  d.types[rdbKindName(k.kind)][rdbEncodingName(k.rdbType)]++;
  if (!records_) return;
  keyName_.assign(k.key.data(), k.key.size());
  items_.clear();
  scores_.clear();
  ttls_.clear();
  value_ = Napi::Value();
  module_.clear();
}

void RdbReaderObject::stringValue(std::string_view v) {
  if (records_) value_ = text(env_, v);
}
void RdbReaderObject::listItem(std::string_view v) {
  if (records_) items_.emplace_back(v);
}
void RdbReaderObject::setMember(std::string_view m) {
  if (records_) items_.emplace_back(m);
}
void RdbReaderObject::zsetMember(std::string_view m, double s) {
  if (!records_) return;
  items_.emplace_back(m);
  scores_.push_back(s);
}
void RdbReaderObject::hashField(std::string_view f, std::string_view v, int64_t expireAtMs) {
  if (!records_) return;
  items_.emplace_back(f);
  items_.emplace_back(v);
  ttls_.push_back(expireAtMs);
}

void RdbReaderObject::stream(const RdbStream& s) {
  if (!records_) return;
  Napi::Env env = env_;
  Napi::Object o = Napi::Object::New(env);
  o.Set("length", static_cast<double>(s.length));
  o.Set("lastId", idText(s.lastId));
  if (s.hasV2Fields) {
    o.Set("firstId", idText(s.firstId));
    o.Set("maxDeletedId", idText(s.maxDeletedId));
    o.Set("entriesAdded", static_cast<double>(s.entriesAdded));
  }
  Napi::Array entries = Napi::Array::New(env, s.entries.size());
  for (size_t i = 0; i < s.entries.size(); i++) {
    const auto& e = s.entries[i];
    Napi::Array fv = Napi::Array::New(env, e.fieldsAndValues.size());
    for (size_t j = 0; j < e.fieldsAndValues.size(); j++) fv.Set(j, text(env, e.fieldsAndValues[j]));
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, idText(e.id));
    pair.Set(1u, fv);
    entries.Set(i, pair);
  }
  o.Set("entries", entries);
  Napi::Array groups = Napi::Array::New(env, s.groups.size());
  for (size_t g = 0; g < s.groups.size(); g++) {
    const auto& grp = s.groups[g];
    Napi::Object go = Napi::Object::New(env);
    go.Set("name", text(env, grp.name));
    go.Set("lastId", idText(grp.lastId));
    if (grp.entriesRead >= 0) go.Set("entriesRead", static_cast<double>(grp.entriesRead));
    Napi::Array pel = Napi::Array::New(env, grp.pending.size());
    for (size_t p = 0; p < grp.pending.size(); p++) {
      const auto& pe = grp.pending[p];
      Napi::Array a = Napi::Array::New(env, 4);
      a.Set(0u, idText(pe.id));
      a.Set(1u, text(env, pe.consumer));
      a.Set(2u, static_cast<double>(pe.deliveryTimeMs));
      a.Set(3u, static_cast<double>(pe.deliveryCount));
      pel.Set(p, a);
    }
    go.Set("pending", pel);
    Napi::Array cons = Napi::Array::New(env, grp.consumers.size());
    for (size_t k = 0; k < grp.consumers.size(); k++) {
      const auto& con = grp.consumers[k];
      Napi::Object co = Napi::Object::New(env);
      co.Set("name", text(env, con.name));
      co.Set("seenTime", static_cast<double>(con.seenTimeMs));
      if (con.activeTimeMs >= 0) co.Set("activeTime", static_cast<double>(con.activeTimeMs));
      Napi::Array ids = Napi::Array::New(env, con.pending.size());
      for (size_t p = 0; p < con.pending.size(); p++) ids.Set(p, idText(con.pending[p]));
      co.Set("pending", ids);
      cons.Set(k, co);
    }
    go.Set("consumers", cons);
    groups.Set(g, go);
  }
  o.Set("groups", groups);
  value_ = o;
}

void RdbReaderObject::moduleValue(std::string_view module, uint64_t, const std::vector<ModuleItem>&) {
  modules_[std::string(module)]++;
  if (records_) module_ = module;
}

void RdbReaderObject::endKey() {
  if (!records_) return;
  Napi::Env env = env_;
  Napi::Object o = Napi::Object::New(env);
  o.Set("kind", "key");
  o.Set("db", static_cast<double>(key_.db));
  o.Set("key", text(env, keyName_));
  o.Set("type", rdbKindName(key_.kind));
  o.Set("encoding", rdbEncodingName(key_.rdbType));
  o.Set("expireAt", key_.expireAtMs >= 0 ? Napi::Number::New(env, static_cast<double>(key_.expireAtMs)) : env.Null());
  if (key_.idleSeconds >= 0) o.Set("idle", static_cast<double>(key_.idleSeconds));
  if (key_.lfuFreq >= 0) o.Set("freq", key_.lfuFreq);
  switch (key_.kind) {
    case RdbKind::String:
    case RdbKind::Stream: o.Set("value", value_); break;
    case RdbKind::List:
    case RdbKind::Set: {
      Napi::Array a = Napi::Array::New(env, items_.size());
      for (size_t i = 0; i < items_.size(); i++) a.Set(i, text(env, items_[i]));
      o.Set("value", a);
      break;
    }
    case RdbKind::ZSet: {
      Napi::Array a = Napi::Array::New(env, items_.size());
      for (size_t i = 0; i < items_.size(); i++) {
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, text(env, items_[i]));
        pair.Set(1u, score(env, scores_[i]));
        a.Set(i, pair);
      }
      o.Set("value", a);
      break;
    }
    case RdbKind::Hash: {
      // [field, value, ...] and, when any field has a TTL, [expireAt per field]
      Napi::Array a = Napi::Array::New(env, items_.size());
      for (size_t i = 0; i < items_.size(); i++) a.Set(i, text(env, items_[i]));
      o.Set("value", a);
      bool anyTtl = false;
      for (int64_t t : ttls_) anyTtl |= t != 0;
      if (anyTtl) {
        Napi::Array t = Napi::Array::New(env, ttls_.size());
        for (size_t i = 0; i < ttls_.size(); i++) t.Set(i, static_cast<double>(ttls_[i]));
        o.Set("fieldExpireAt", t);
      }
      break;
    }
    case RdbKind::Module:
      o.Set("value", env.Null());
      o.Set("module", module_);
      break;
  }
  push(o);
  items_.clear();
  scores_.clear();
  ttls_.clear();
  value_ = Napi::Value();
}

}  // namespace raa
