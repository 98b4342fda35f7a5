// Errors of the RDB codec.
//
// Decoders deep inside a value throw FormatError with the absolute byte offset where the
// input went wrong; the reader adds what it was reading (the key) and turns it into an
// RdbError, the one exception that leaves native/rdb.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace raa {

struct RdbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FormatError {
  std::string what;
  uint64_t offset;
};

[[noreturn]] inline void formatError(std::string what, uint64_t offset) { throw FormatError{std::move(what), offset}; }

}  // namespace raa
