#include "table.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

namespace raa {

const char* const kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
const char* const kNotInteger = "ERR value is not an integer or out of range";
const char* const kNotFloat = "ERR value is not a valid float";
const char* const kSyntax = "ERR syntax error";
const char* const kOverflow = "ERR increment or decrement would overflow";

namespace {
std::unordered_map<std::string, CommandSpec>& storage() {
  static std::unordered_map<std::string, CommandSpec> t;
  return t;
}

// The table, filled by each family's file on first use.
const std::unordered_map<std::string, CommandSpec>& table() {
  static const bool registered = (registerStringCommands(), registerKeyCommands(), registerHashCommands(),
                                  registerSetCommands(), registerZSetCommands(), registerListCommands(), true);
  (void)registered;
  return storage();
}

// Redis strips CR and LF from error texts so that a reply stays one line.
std::string oneLine(std::string s) {
  for (char& ch : s)
    if (ch == '\r' || ch == '\n') ch = ' ';
  return s;
}
}  // namespace

void addCommands(const CommandSpec* specs, size_t n) {
  for (size_t i = 0; i < n; i++) storage().emplace(specs[i].name, specs[i]);
}

const CommandSpec* findCommand(std::string_view name) {
  constexpr size_t kLongest = 24;  // longer than any command name
  if (name.size() > kLongest) return nullptr;
  // A pipeline repeats a few names, spelt the same way each time: the last name found is
  // compared byte for byte first, before folding the case and hashing.
  static thread_local struct {
    char name[kLongest];
    size_t size = 0;
    const CommandSpec* spec = nullptr;
  } last;
  if (last.spec && name.size() == last.size && std::memcmp(name.data(), last.name, last.size) == 0) return last.spec;
  std::string key(name);  // fits the small-string buffer: no allocation
  for (char& ch : key)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  auto it = table().find(key);
  if (it == table().end()) return nullptr;
  std::memcpy(last.name, name.data(), name.size());
  last.size = name.size();
  last.spec = &it->second;
  return last.spec;
}

std::vector<CommandSpec> allCommands() {
  std::vector<CommandSpec> out;
  for (const auto& [name, spec] : table()) out.push_back(spec);
  return out;
}

void dispatchCommand(Keyspace& ks, const CommandSpec* spec, const Args& argv, Reply& out) {
  if (argv.empty()) {
    out.error("ERR empty command");
    return;
  }
  if (!spec) {
    std::string args;
    for (size_t i = 1; i < argv.size() && args.size() < 128; i++) {
      std::string_view shown = argv[i].substr(0, 128 - args.size());  // measured before the quote, as Redis does
      args += "'";
      args.append(shown);
      args += "' ";
    }
    out.error(oneLine("ERR unknown command '" + std::string(argv[0].substr(0, 128)) +
                      "', with args beginning with: " + args));
    return;
  }
  int argc = static_cast<int>(argv.size());
  if ((spec->arity > 0 && argc != spec->arity) || (spec->arity < 0 && argc < -spec->arity)) {
    out.error(std::string("ERR wrong number of arguments for '") + spec->name + "' command");
    return;
  }
  Cmd c{ks, argv, out};
  // Last line of defence: no argument may take the process down. Commands check their
  // input; what gets here is a bug or the allocator giving up, and becomes an error reply.
  size_t mark = out.mark();
  try {
    spec->fn(c);
  } catch (const std::bad_alloc&) {
    out.truncate(mark);
    out.error("OOM command not allowed when used memory > 'maxmemory'.");
  } catch (const std::exception& e) {
    out.truncate(mark);
    out.error(oneLine(std::string("ERR internal error in '") + spec->name + "': " + e.what()));
  }
}

bool intArg(Cmd& c, std::string_view s, int64_t& out) {
  if (parseInt64(s, out)) return true;
  c.r.error(kNotInteger);
  return false;
}

bool floatArg(Cmd& c, std::string_view s, double& out) {
  if (parseDouble(s, out)) return true;
  c.r.error(kNotFloat);
  return false;
}

bool countArg(Cmd& c, std::string_view s, int64_t& out) {
  if (!parseInt64(s, out) || out < 0) {
    c.r.error("ERR value is out of range, must be positive");
    return false;
  }
  return true;
}

bool typeIs(Cmd& c, const KeyState* k, Type t) {
  if (!k || k->visibleType() == t) return true;
  c.r.error(kWrongType);
  return false;
}

Entry expiryEntry(Keyspace& ks, int64_t atMs) {
  Entry e{ks.nextDot(), ks.tick(), std::string_view(reinterpret_cast<const char*>(&atMs), 8)};
  return e;
}

void coverOtherTypes(const KeyState* raw, KeyDelta& d, Type t) {
  if (raw) coverKey(*raw, d, false, t);
}

// The counters travel with the covered presence entries: whoever learns that an
// increment's dot was seen also learns the total it made (see joinCounters).
static void coverPresence(const Cell* cell, CellDelta& cd) {
  if (!cell) return;
  for (const Entry& e : cell->entries)
    if (!e.hasValue()) cd.covered.push_back(e.dot);
  if (cell->counters) cd.counters = cell->counters->byOrigin;
}

// Bumps this instance's counter within `cd`, which may already hold the reset of that counter.
static void bumpCounter(Keyspace& ks, const Cell* cell, CellDelta& cd, Dot dot, __int128 di, long double df) {
  Counter* mine = nullptr;
  for (Counter& c : cd.counters)
    if (c.origin == ks.instanceId()) mine = &c;
  if (!mine) {
    Counter c;
    c.origin = ks.instanceId();
    if (cell && cell->counters)
      if (Counter* have = cell->counters->find(ks.instanceId())) c = *have;
    cd.counters.push_back(c);
    mine = &cd.counters.back();
  }
  uint64_t seq = dotSeq(dot);
  if (mine->inc == 0 || mine->coveredByReset()) {
    // Everything counted so far was reset: start a new incarnation from zero.
    mine->inc = seq;
    mine->ti = 0;
    mine->tf = 0;
  }
  mine->seq = seq;
  mine->ti += di;
  mine->tf += df;
}

}  // namespace raa

namespace raa {
Entry scoreEntry(Keyspace& ks, double score) {
  Entry e{ks.nextDot(), ks.tick(), std::string_view(reinterpret_cast<const char*>(&score), 8)};
  return e;
}

ListRec listRec(Keyspace& ks, PosDigits digits, std::string_view value) {
  ListRec r;
  r.pos.digits = std::move(digits);
  r.pos.cdot = ks.nextDot();
  r.elem.hlc = ks.tick();
  r.elem.writer = ks.instanceId();
  r.elem.val = SmallString(value);
  return r;
}
}  // namespace raa

namespace raa {
void countInto(Keyspace& ks, const Cell* cell, CellDelta& cd, __int128 di, long double df) {
  if (cell && !cell->visible()) cell->coverAll(cd);  // a re-created cell starts from zero
  else coverPresence(cell, cd);
  Entry e = presenceEntry(ks);
  Dot dot = e.dot;
  cd.add.push_back(std::move(e));
  bumpCounter(ks, cell, cd, dot, di, df);
}
}  // namespace raa
