// Parses client requests from a byte buffer, so a whole socket read crosses into the core
// once: the RESP multibulk form ("*N\r\n$len\r\narg\r\n...") that clients send, and the
// inline form ("SET k v\n") that people type into telnet or redis-cli. Multibulk arguments
// are views into the buffer; inline ones into the parser's own storage (quotes and escapes
// change their bytes). Incomplete trailing input is left for the next call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace raa {

class RequestParser {
 public:
  // Redis 7.0's limits: proto-max-bulk-len (configurable), the multibulk count, the inline
  // and header line lengths, and the tighter ones for a client not yet authenticated.
  static constexpr int64_t kMaxMultibulk = 2147483647;
  static constexpr size_t kMaxInline = 64 * 1024;
  static constexpr int64_t kUnauthenticatedMultibulk = 10;
  static constexpr int64_t kUnauthenticatedBulk = 16384;
  int64_t maxBulk = 512ll * 1024 * 1024;
  bool unauthenticated = false;

  // How far an incomplete multibulk request at the start of the input was checked: a request
  // of many arguments arriving over many reads is then read once, not once per read.
  struct Progress {
    uint64_t offset = 0;  // bytes from the request's start, all of them whole arguments
    uint64_t args = 0;    // arguments in those bytes
  };

  // Parses one request starting at data[pos]. Returns 1 with argv filled and pos advanced,
  // 0 when the input ends before the request does, -1 with `error` set to Redis's protocol
  // error on malformed input. Empty requests (an empty line, "*0") are skipped. With
  // `progress`, an incomplete request records it, and the next call resumes from it (it
  // must then start at the same request); any other outcome resets it.
  int next(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv, std::string& error,
           Progress* progress = nullptr);

 private:
  int multibulk(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv, std::string& error,
                Progress* progress);
  int inl(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv, std::string& error);
  std::vector<std::string> inlineArgs_;
};

}  // namespace raa
