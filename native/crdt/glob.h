// Redis's glob-style pattern matching for KEYS, SCAN MATCH and friends: * ? [abc] [^a]
// [a-z] and backslash escapes, binary safe, case sensitive.
#pragma once
#include <string_view>

namespace raa {
bool globMatch(std::string_view pattern, std::string_view s);
}
