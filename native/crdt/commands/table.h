// The command table: Redis command names, their arity (Redis's convention: n means exactly
// n arguments counting the name, -n at least n) and handlers. Each family of commands
// registers itself from its own file.
#pragma once
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../keyspace.h"
#include "../values.h"

namespace raa {

struct Cmd {
  Keyspace& ks;
  const Args& argv;
  Reply& r;
};
using Handler = void (*)(Cmd&);
struct CommandSpec {
  const char* name;
  int arity;
  Handler fn;
  // The argument that names a hash field or set member the command looks up first (0:
  // none): a pipelined read prefetches it along with the key.
  uint8_t memberArg = 0;
};

// Runs a command looked up with findCommand (null: unknown, answered as Redis does).
void dispatchCommand(Keyspace& ks, const CommandSpec* spec, const Args& argv, Reply& out);
// The command named `name` (any case), or null: the server handles the names this table
// does not know (connection and server commands).
const CommandSpec* findCommand(std::string_view name);
// Every command, for COMMAND COUNT / INFO.
std::vector<CommandSpec> allCommands();

void registerStringCommands();
void registerKeyCommands();
void registerHashCommands();
void registerSetCommands();
void registerZSetCommands();
void registerListCommands();
void addCommands(const CommandSpec* specs, size_t n);
template <size_t N>
void addCommands(const CommandSpec (&specs)[N]) {
  addCommands(specs, N);
}

extern const char* const kWrongType;
extern const char* const kNotInteger;
extern const char* const kNotFloat;
extern const char* const kSyntax;
extern const char* const kOverflow;

inline bool equalsIgnoreCase(std::string_view a, const char* b) {
  size_t n = std::strlen(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; i++)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Looks `name` up in a map keyed by std::string without allocating a key for it (C++17's
// maps have no lookup by string_view): the name goes through one reused buffer.
template <class Map>
auto findNamed(Map& m, std::string_view name) -> decltype(m.find(std::string())) {
  static thread_local std::string scratch;
  scratch.assign(name.data(), name.size());
  return m.find(scratch);
}

// Parsers that answer the Redis error themselves and return false on bad input.
bool intArg(Cmd& c, std::string_view s, int64_t& out);
bool floatArg(Cmd& c, std::string_view s, double& out);
// True when the key is absent or of type `t`; otherwise answers WRONGTYPE.
bool typeIs(Cmd& c, const KeyState* k, Type t);
// Positive count argument (LPOP count, SPOP count...): "value is out of range, must be positive".
bool countArg(Cmd& c, std::string_view s, int64_t& out);

// Key deltas under construction.
inline KeyDelta deltaFor(std::string_view key) {
  KeyDelta d;
  d.key = std::string(key);
  return d;
}
inline Entry valueEntry(Keyspace& ks, std::string_view v) { return Entry{ks.nextDot(), ks.tick(), v}; }
inline Entry presenceEntry(Keyspace& ks) { return Entry{ks.nextDot(), ks.tick() | kPresenceOnly, {}}; }
Entry expiryEntry(Keyspace& ks, int64_t atMs);
// The first write to a key that is not visible, as type `t`: removes what the key still
// held of other types (hidden after a concurrent creation) and any orphaned expiry.
void coverOtherTypes(const KeyState* raw, KeyDelta& d, Type t);
// An increment (INCR, HINCRBY, ZINCRBY...) of a cell by (di, df), into delta part `cd`: a
// presence entry keeps the cell alive against a concurrent remove of what it had seen, and
// this instance's count grows. A cell that is not visible counts from zero.
void countInto(Keyspace& ks, const Cell* cell, CellDelta& cd, __int128 di, long double df);

}  // namespace raa

namespace raa {
// Entry builders for the container types.
Entry scoreEntry(Keyspace& ks, double score);
ListRec listRec(Keyspace& ks, PosDigits digits, std::string_view value);
}  // namespace raa
