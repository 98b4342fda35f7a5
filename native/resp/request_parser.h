// Parses client requests in RESP multibulk form ("*N\r\n$len\r\narg\r\n...") from a byte
// buffer, so a whole socket read crosses into the core once. Arguments are views into the
// buffer. Incomplete trailing input is left for the next call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace raa {

struct RequestParser {
  // Parses one request starting at data[pos]. Returns 1 with argv filled and pos advanced,
  // 0 when the input ends before the request does, -1 with `error` set on malformed input.
  static int next(const uint8_t* data, size_t len, size_t& pos, std::vector<std::string_view>& argv,
                  std::string& error);
};

}  // namespace raa
