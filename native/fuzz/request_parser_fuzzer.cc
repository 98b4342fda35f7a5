// libFuzzer target: the request parser read the way a server reads a socket. The input is
// parsed once whole, and again as it would arrive in reads of a few bytes each, resuming
// each incomplete request from its saved progress; both must yield the same requests and
// the same error, and neither may crash or read out of bounds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "resp/request_parser.h"

using namespace raa;

namespace {
struct Outcome {
  std::vector<std::vector<std::string>> requests;
  std::string error;
};

// Parses data[0, len) to its end or first error; `step` 0 = whole, else the input grows by
// `step` bytes per read and unconsumed bytes are kept, as the server's query buffer does.
Outcome parse(const uint8_t* data, size_t len, size_t step) {
  Outcome out;
  RequestParser parser;
  RequestParser::Progress progress;
  std::vector<std::string_view> argv;
  size_t start = 0, end = step ? 0 : len;
  for (;;) {
    if (step) end = std::min(len, end + step);
    std::string buffered(reinterpret_cast<const char*>(data + start), end - start);  // moves like a query buffer
    const uint8_t* b = reinterpret_cast<const uint8_t*>(buffered.data());
    size_t pos = 0;
    int rc;
    while ((rc = parser.next(b, buffered.size(), pos, argv, out.error, step ? &progress : nullptr)) == 1)
      out.requests.emplace_back(argv.begin(), argv.end());
    start += pos;
    if (rc < 0 || end == len) return out;
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t step = 1 + data[0] % 64;
  Outcome whole = parse(data + 1, size - 1, 0), pieces = parse(data + 1, size - 1, step);
  if (whole.requests != pieces.requests || whole.error != pieces.error) {
    fprintf(stderr, "request_parser_fuzzer: reads of %zu bytes parse differently from the whole input\n", step);
    abort();
  }
  return 0;
}
