// Number parsing and formatting with Redis's exact rules, and the visible value of a
// string cell (its winning value plus the counter increments it had not seen).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cell.h"

namespace raa {

// Redis's string2ll: optional '-', digits, no leading zeros, no spaces, fits int64.
bool parseInt64(std::string_view s, int64_t& out);
// A SCAN cursor as Redis reads it (strtoull: "-1" wraps around).
bool parseCursor(std::string_view s, uint64_t& out);
// Redis's string2ld / strtold rules: no spaces, not NaN; "inf" accepted (as Redis does).
bool parseLongDouble(std::string_view s, long double& out);
// Redis's getDoubleFromObject rules (ZADD scores, ranges): +inf/-inf allowed, NaN rejected.
bool parseDouble(std::string_view s, double& out);

// INCRBYFLOAT's output format ("%.17Lf" with the trailing zeros removed).
std::string formatLongDouble(long double v);
// A double as Redis 7.0 replies it ("%.17g", integers without exponent).
std::string formatDouble(double v);
std::string formatInt128(__int128 v);

// What GET returns for a string cell.
std::string stringValue(const Cell& c);
// parseInt64(stringValue(c)) without making the text: INCR's read of a counter.
bool stringInt(const Cell& c, int64_t& out);

// INCRBYFLOAT's count: Redis stores the rounded text of each result, so a chain of
// increments rounds at every step. Counting the difference between the rounded result and
// the cell's current exact sum (rather than the increment itself) keeps the value equal to
// Redis's, while concurrent increments still add up. Returns the increment to count and
// sets `reply` to the text Redis would answer.
// `cell` is the visible cell (null when the key or field does not exist), `origin` this instance.
long double floatIncrement(const Cell* cell, uint16_t origin, long double current, long double by,
                           std::string& reply);

}  // namespace raa
