// libFuzzer target: the streaming RDB reader on arbitrary bytes. The input is read once
// whole and again in pieces cut by a PRNG seeded from the input (mostly 1 to 64 bytes, now
// and then a large piece), each time with a fresh reader and a handler that logs every
// callback; both reads must log the same calls and end the same way (the same error, or
// both complete). The input then goes through an RdbImporter into a keyspace (as local
// writes) and a SnapshotLoader into a fresh keyspace (as a CRDT snapshot): neither may
// crash, and the only failure allowed is RdbError. Strings are capped at 1 MB, so a length
// that lies is an error rather than a wait or a large allocation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "crdt/keyspace.h"
#include "rdb/importer.h"
#include "rdb/reader.h"

using namespace raa;

namespace {
constexpr int64_t kNowMs = 1000000;
constexpr uint64_t kMaxString = 1 << 20;

// Every callback as one line; strings length-prefixed, doubles by their bits.
class LogHandler : public RdbHandler {
 public:
  std::string log;

  void aux(std::string_view key, std::string_view value) override { line("aux").str(key).str(value); }
  void selectDb(uint64_t db) override { line("select").num(db); }
  void resizeDb(uint64_t keys, uint64_t expires) override { line("resize").num(keys).num(expires); }
  void slotInfo(uint64_t slot, uint64_t keys, uint64_t expires) override { line("slot").num(slot).num(keys).num(expires); }
  void function(std::string_view code) override { line("function").str(code); }
  void moduleAux(std::string_view module) override { line("moduleaux").str(module); }
  void beginKey(const RdbKey& k) override {
    line("key").num(k.db).num(k.rdbType).num(static_cast<int>(k.kind)).str(k.key).snum(k.expireAtMs).snum(k.idleSeconds).snum(k.lfuFreq);
  }
  void stringValue(std::string_view v) override { line("string").str(v); }
  void listItem(std::string_view v) override { line("item").str(v); }
  void setMember(std::string_view m) override { line("member").str(m); }
  void zsetMember(std::string_view m, double score) override { line("zmember").str(m).dbl(score); }
  void hashField(std::string_view f, std::string_view v, int64_t expireAtMs) override { line("field").str(f).str(v).snum(expireAtMs); }
  void stream(const RdbStream& s) override {
    line("stream").num(s.length).id(s.lastId).num(s.hasV2Fields).id(s.firstId).id(s.maxDeletedId).num(s.entriesAdded);
    for (const auto& e : s.entries) {
      line(" entry").id(e.id).num(e.fieldsAndValues.size());
      for (const auto& x : e.fieldsAndValues) str(x);
    }
    for (const auto& g : s.groups) {
      line(" group").str(g.name).id(g.lastId).snum(g.entriesRead);
      for (const auto& p : g.pending) line("  pending").id(p.id).snum(p.deliveryTimeMs).num(p.deliveryCount).str(p.consumer);
      for (const auto& c : g.consumers) {
        line("  consumer").str(c.name).snum(c.seenTimeMs).snum(c.activeTimeMs);
        for (const auto& id : c.pending) this->id(id);
      }
    }
  }
  void moduleValue(std::string_view module, uint64_t moduleId, const std::vector<ModuleItem>& items) override {
    line("module").str(module).num(moduleId);
    for (const auto& it : items) {
      line(" mitem").num(it.kind);
      switch (it.kind) {
        case ModuleItem::SInt:
        case ModuleItem::UInt: num(it.u); break;
        case ModuleItem::Float:
        case ModuleItem::Double: dbl(it.d); break;
        case ModuleItem::String: str(it.s); break;
      }
    }
  }
  void endKey() override { line("endkey"); }
  void end() override { line("end"); }

 private:
  LogHandler& line(const char* what) {
    log += '\n';
    log += what;
    return *this;
  }
  LogHandler& num(uint64_t v) {
    log += ' ';
    log += std::to_string(v);
    return *this;
  }
  LogHandler& snum(int64_t v) {
    log += ' ';
    log += std::to_string(v);
    return *this;
  }
  LogHandler& dbl(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return num(bits);
  }
  LogHandler& str(std::string_view s) {
    num(s.size());
    log += ':';
    log.append(s.data(), s.size());
    return *this;
  }
  LogHandler& id(const StreamId& i) { return num(i.ms).num(i.seq); }
};

struct Outcome {
  std::string log;
  std::string error;  // empty: the file was read to its end
  int version = 0;
  uint64_t offset = 0, keys = 0;
};

// splitmix64
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

RdbReaderOptions strictOptions() {
  RdbReaderOptions o;
  o.maxStringBytes = kMaxString;
  return o;
}

// Reads data[0, size) whole (seed 0) or in pieces whose sizes come from Rng{seed}.
Outcome read(const uint8_t* data, size_t size, uint64_t seed) {
  Outcome out;
  LogHandler h;
  RdbReader reader(h, strictOptions());
  try {
    if (!seed) {
      reader.feed(data, size);
    } else {
      Rng rng{seed};
      for (size_t pos = 0; pos < size;) {
        uint64_t r = rng.next();
        size_t n = (r & 15) == 0 ? 1 + (r >> 8) % 4096 : 1 + (r >> 8) % 64;  // 1 in 16 large
        n = std::min(n, size - pos);
        reader.feed(data + pos, n);
        pos += n;
      }
    }
    reader.finish();
    out.offset = reader.offset();
    if (!reader.done()) out.error = "(finish() returned before the end of the file)";
  } catch (const RdbError& e) {
    out.error = e.what();
    if (out.error.empty()) out.error = "(empty RdbError)";
  }
  out.log = std::move(h.log);
  out.version = reader.version();
  out.keys = reader.keysRead();
  return out;
}

[[noreturn]] void fail(const char* what, const std::string& detail) {
  fprintf(stderr, "rdb_reader_fuzzer: %s\n%s\n", what, detail.c_str());
  abort();
}

// The first line where two logs part.
std::string firstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) i++;
  size_t start = a.rfind('\n', i == 0 ? 0 : i - 1);
  start = start == std::string::npos ? 0 : start + 1;
  auto lineAt = [&](const std::string& s) {
    size_t end = s.find('\n', start);
    std::string l = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return l.size() > 200 ? l.substr(0, 200) + "..." : l;
  };
  return "  whole:  " + lineAt(a) + "\n  pieces: " + lineAt(b);
}

class KeyspaceSink : public CommandSink {
 public:
  explicit KeyspaceSink(Keyspace& ks) : ks_(ks) {}
  bool mayExist(std::string_view key) override {
    KeyState* k = ks_.find(key);
    return k && k->visibleType() != Type::None;
  }
  void command(const Args& argv) override {
    reply_.clear();
    ks_.exec(argv, reply_);
  }

 private:
  Keyspace& ks_;
  Reply reply_;
};

// (c) and (d): lenient options so that mutated files reach their end and the handlers' end().
RdbReaderOptions lenientOptions() {
  RdbReaderOptions o;
  o.maxStringBytes = kMaxString;
  o.verifyChecksum = false;
  o.allowNewerVersion = true;
  return o;
}

template <class F>
void onlyRdbError(const char* what, F&& f) {
  try {
    f();
  } catch (const RdbError&) {
  } catch (const std::exception& e) {
    fail(what, std::string("threw a non-RdbError exception: ") + e.what());
  } catch (...) {
    fail(what, "threw a non-std::exception");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // (a), (b): whole and in pieces must agree.
  uint64_t seed = 0x243F6A8885A308D3ull;
  for (size_t i = 0; i < size; i++) seed = (seed ^ data[i]) * 0x100000001B3ull;
  if (!seed) seed = 1;
  Outcome whole = read(data, size, 0), pieces = read(data, size, seed);
  if (whole.log != pieces.log)
    fail("reading in pieces calls the handler differently from reading whole", firstDifference(whole.log, pieces.log));
  if (whole.error != pieces.error)
    fail("reading in pieces ends differently from reading whole", "  whole:  " + whole.error + "\n  pieces: " + pieces.error);
  if (whole.version != pieces.version || whole.keys != pieces.keys || whole.offset != pieces.offset)
    fail("reading in pieces reports a different version, key count or offset",
         "  whole:  v" + std::to_string(whole.version) + " keys " + std::to_string(whole.keys) + " offset " + std::to_string(whole.offset) +
             "\n  pieces: v" + std::to_string(pieces.version) + " keys " + std::to_string(pieces.keys) + " offset " + std::to_string(pieces.offset));

  // (c): plain values imported as local writes.
  {
    Keyspace ks(1, true, kNowMs);
    KeyspaceSink sink(ks);
    ImportOptions io;
    io.nowMs = kNowMs;
    io.batchItems = seed % 4 == 0 ? 512 : 1 + seed % 5;  // mostly small batches: more commands per key
    if (seed % 8 == 1) io.onlyDb = 0;
    RdbImporter importer(sink, io);
    onlyRdbError("RdbImporter", [&] {
      Keyspace::Batch batch(ks);
      RdbReader reader(importer, lenientOptions());
      reader.feed(data, size);
      reader.finish();
    });
    ks.digest();
  }

  // (d): this project's CRDT form joined as a snapshot.
  {
    Keyspace ks(2, true, kNowMs);
    SnapshotLoader loader(ks);
    onlyRdbError("SnapshotLoader", [&] {
      Keyspace::Batch batch(ks);
      RdbReader reader(loader, lenientOptions());
      reader.feed(data, size);
      reader.finish();
    });
    ks.digest();
  }
  return 0;
}
