// libFuzzer target: arbitrary bytes as RESP requests to the command executor, on two
// instances that then exchange effects. No command may crash on any argument, and the two
// instances must converge.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crdt/keyspace.h"
#include "resp/request_parser.h"

using namespace raa;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Keyspace a(1, true, 1000000), b(2, true, 1000000);
  Reply r;
  RequestParser parser;
  size_t pos = 0;
  std::vector<std::string_view> argv;
  std::string error;
  bool toA = true;
  while (pos < size && parser.next(data, size, pos, argv, error) == 1) {
    r.setResp3(!toA);  // b answers in RESP3
    (toA ? a : b).exec(argv, r);
    toA = !toA;
    r.clear();
  }
  std::string ea = a.drainEffects(), eb = b.drainEffects();
  a.applyEffects(reinterpret_cast<const uint8_t*>(eb.data()), eb.size());
  b.applyEffects(reinterpret_cast<const uint8_t*>(ea.data()), ea.size());
  std::string ea2 = a.drainEffects(), eb2 = b.drainEffects();  // deletes of expired keys
  a.applyEffects(reinterpret_cast<const uint8_t*>(eb2.data()), eb2.size());
  b.applyEffects(reinterpret_cast<const uint8_t*>(ea2.data()), ea2.size());
  if (a.digest() != b.digest()) {
    fprintf(stderr, "commands_fuzzer: instances diverged\n");
    abort();
  }
  return 0;
}
