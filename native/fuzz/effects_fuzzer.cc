// libFuzzer target: applyEffects() on arbitrary bytes. The harness seals the input with a
// valid checksum so that the fuzzer reaches the decoder and the join instead of stopping at
// the checksum. Whatever it gets, the keyspace must refuse it whole or merge it, and a
// merged state must survive a snapshot round trip unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crdt/keyspace.h"

using namespace raa;

static void seed(Keyspace& ks) {
  Reply r;
  const char* cmds[][5] = {
      {"SET", "s", "v", nullptr}, {"INCRBY", "c", "5", nullptr}, {"HSET", "h", "f", "1", nullptr},
      {"SADD", "set", "a", nullptr}, {"ZADD", "z", "1", "m", nullptr}, {"RPUSH", "l", "x", nullptr},
      {"EXPIRE", "s", "100", nullptr}};
  for (auto& cmd : cmds) {
    Args argv;
    for (int i = 0; cmd[i]; i++) argv.emplace_back(cmd[i]);
    ks.exec(argv, r);
  }
}

static void fail(const char* what) {
  fprintf(stderr, "effects_fuzzer: %s\n", what);
  abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Keyspace ks(2, true, 1000000);
  seed(ks);
  std::string buf(reinterpret_cast<const char*>(data), size);
  uint64_t sum = hash64(buf.data(), buf.size(), 0x5241414553554d31ull);
  buf.append(reinterpret_cast<const char*>(&sum), 8);
  std::string before = ks.digest();
  try {
    ks.applyEffects(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
  } catch (const DecodeError&) {
    if (ks.digest() != before) fail("refused input changed the data");
    return 0;
  }
  std::string snap = ks.snapshot();
  auto copy = Keyspace::fromSnapshot(reinterpret_cast<const uint8_t*>(snap.data()), snap.size(), 3, true, 1000000);
  if (copy->digest() != ks.digest()) fail("a snapshot round trip changed the data");
  Reply r;
  ks.exec({"KEYS", "*"}, r);
  return 0;
}
