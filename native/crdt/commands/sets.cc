// Set commands: an add-wins observed-remove set. SREM and SPOP remove what they had seen;
// a concurrent SADD of the same member keeps it.
#include <algorithm>

#include "../glob.h"
#include "containers.h"

namespace raa {

namespace {

bool readSet(Cmd& c, std::string_view key, KeyState*& k) {
  k = c.ks.lookupRead(key);
  return typeIs(c, k, Type::Set);
}
const CellMap* setOf(const KeyState* k) { return k ? k->set.get() : nullptr; }

// Adds members to a set key (creating it); returns how many were new. A member already
// present is written again too: the add must win over a concurrent SREM of it.
int64_t addMembers(Keyspace& ks, std::string_view key, const std::vector<std::string_view>& members) {
  KeyDelta d = deltaFor(key);
  if (!ks.lookupWrite(key)) coverOtherTypes(ks.find(key), d, Type::Set);
  const KeyState* raw = ks.find(key);
  const CellMap* m = raw ? raw->set.get() : nullptr;
  int64_t added = 0;
  std::unordered_set<std::string_view> seen;
  if (members.size() > 1) seen.reserve(members.size());
  d.set.reserve(members.size());  // a bulk SADD (an RDB import) grows it once, not member by member
  for (std::string_view member : members)
    if (members.size() == 1 || seen.insert(member).second) added += !writeCell(ks, m, d.set, member, "");
  if (!d.empty()) ks.commit(d);
  return added;
}

// Removes members (that are visible) from a set key; returns how many.
int64_t removeMembers(Keyspace& ks, std::string_view key, const std::vector<std::string_view>& members) {
  KeyState* k = ks.lookupWrite(key);
  if (!k || !k->set) return 0;
  KeyDelta d = deltaFor(key);
  int64_t removed = 0;
  std::unordered_set<std::string_view> seen;
  for (std::string_view member : members) {
    if (seen.insert(member).second && liveCell(k->set.get(), member)) removed += removeCell(k->set.get(), d.set, member);
  }
  if (!d.empty()) ks.commit(d);
  return removed;
}

void saddCmd(Cmd& c) {
  if (!typeIs(c, c.ks.lookupWrite(c.argv[1]), Type::Set)) return;
  c.r.integer(addMembers(c.ks, c.argv[1], std::vector<std::string_view>(c.argv.begin() + 2, c.argv.end())));
}

void sremCmd(Cmd& c) {
  if (!typeIs(c, c.ks.lookupWrite(c.argv[1]), Type::Set)) return;
  c.r.integer(removeMembers(c.ks, c.argv[1], std::vector<std::string_view>(c.argv.begin() + 2, c.argv.end())));
}

void sismemberCmd(Cmd& c) {
  KeyState* k;
  if (!readSet(c, c.argv[1], k)) return;
  c.r.integer(liveCell(setOf(k), c.argv[2]) ? 1 : 0);
}

void smismemberCmd(Cmd& c) {
  KeyState* k;
  if (!readSet(c, c.argv[1], k)) return;
  c.r.array(c.argv.size() - 2);
  for (size_t i = 2; i < c.argv.size(); i++) c.r.integer(liveCell(setOf(k), c.argv[i]) ? 1 : 0);
}

void replyMembers(Cmd& c, const std::vector<const CellMap::Field*>& members, bool asSet) {
  asSet ? c.r.set(members.size()) : c.r.array(members.size());
  for (const CellMap::Field* m : members) c.r.bulk(m->name);
}

void smembersCmd(Cmd& c) {
  KeyState* k;
  if (!readSet(c, c.argv[1], k)) return;
  replyMembers(c, liveFields(setOf(k)), true);
}

void scardCmd(Cmd& c) {
  KeyState* k;
  if (!readSet(c, c.argv[1], k)) return;
  c.r.integer(k ? static_cast<int64_t>(k->set->live) : 0);
}

void spopCmd(Cmd& c) {
  int64_t count = 1;
  bool withCount = c.argv.size() == 3;
  if (c.argv.size() > 3) return c.r.error(kSyntax);
  if (withCount && !countArg(c, c.argv[2], count)) return;
  KeyState* k = c.ks.lookupWrite(c.argv[1]);
  if (!typeIs(c, k, Type::Set)) return;
  if (!k) return withCount ? c.r.set(0) : c.r.null();
  std::vector<std::string> picks;  // copied: the removal below frees the cells
  for (const CellMap::Field* m : randomPicks(c.ks, liveFields(k->set.get()), count)) picks.push_back(m->name.str());
  removeMembers(c.ks, c.argv[1], std::vector<std::string_view>(picks.begin(), picks.end()));
  if (!withCount) return c.r.bulk(picks[0]);
  c.r.set(picks.size());
  for (const std::string& m : picks) c.r.bulk(m);
}

void srandmemberCmd(Cmd& c) {
  int64_t count = 0;
  bool withCount = c.argv.size() >= 3, unused;
  if (withCount && !randomCountArgs(c, count, unused, nullptr)) return;
  KeyState* k;
  if (!readSet(c, c.argv[1], k)) return;
  std::vector<const CellMap::Field*> picks = randomPicks(c.ks, liveFields(setOf(k)), withCount ? count : -1);
  if (!withCount) return picks.empty() ? c.r.null() : c.r.bulk(picks[0]->name);
  replyMembers(c, picks, false);
}

void smoveCmd(Cmd& c) {
  std::string_view src = c.argv[1], dst = c.argv[2], member = c.argv[3];
  KeyState* s = c.ks.lookupWrite(src);
  KeyState* d = c.ks.lookupWrite(dst);
  if (!s) return c.r.integer(0);
  if (!typeIs(c, s, Type::Set) || !typeIs(c, d, Type::Set)) return;
  if (!liveCell(s->set.get(), member)) return c.r.integer(0);
  if (src == dst) return c.r.integer(1);
  removeMembers(c.ks, src, {member});
  addMembers(c.ks, dst, {member});
  c.r.integer(1);
}

enum class SetOp { Union, Inter, Diff };

// Computes SUNION/SINTER/SDIFF over argv[from..]; false after answering WRONGTYPE.
bool combine(Cmd& c, size_t from, SetOp op, std::vector<std::string>& out) {
  std::vector<const CellMap*> sets;
  for (size_t i = from; i < c.argv.size(); i++) {
    KeyState* k;
    if (!readSet(c, c.argv[i], k)) return false;
    sets.push_back(setOf(k));
  }
  const CellMap* first = sets[0];
  if (op == SetOp::Union) {
    std::unordered_set<std::string_view> seen;
    for (const CellMap* m : sets)
      for (const CellMap::Field* f : liveFields(m))
        if (seen.insert(f->name.view()).second) out.push_back(f->name.str());
    return true;
  }
  for (const CellMap::Field* f : liveFields(first)) {
    bool keep = true;
    for (size_t i = 1; i < sets.size() && keep; i++) {
      bool in = liveCell(sets[i], f->name) != nullptr;
      keep = op == SetOp::Inter ? in : !in;
    }
    if (keep) out.push_back(f->name.str());
  }
  return true;
}

void setOpCmd(Cmd& c, SetOp op) {
  std::vector<std::string> out;
  if (!combine(c, 1, op, out)) return;
  c.r.set(out.size());
  for (const std::string& m : out) c.r.bulk(m);
}

// The STORE forms replace the destination with the result (or delete it when empty).
void setOpStoreCmd(Cmd& c, SetOp op) {
  std::vector<std::string> out;
  if (!combine(c, 2, op, out)) return;
  std::string_view dst = c.argv[1];
  if (c.ks.lookupWrite(dst)) c.ks.deleteKey(dst);
  if (!out.empty()) addMembers(c.ks, dst, std::vector<std::string_view>(out.begin(), out.end()));
  c.r.integer(static_cast<int64_t>(out.size()));
}

void sunionCmd(Cmd& c) { setOpCmd(c, SetOp::Union); }
void sinterCmd(Cmd& c) { setOpCmd(c, SetOp::Inter); }
void sdiffCmd(Cmd& c) { setOpCmd(c, SetOp::Diff); }
void sunionstoreCmd(Cmd& c) { setOpStoreCmd(c, SetOp::Union); }
void sinterstoreCmd(Cmd& c) { setOpStoreCmd(c, SetOp::Inter); }
void sdiffstoreCmd(Cmd& c) { setOpStoreCmd(c, SetOp::Diff); }

void sscanCmd(Cmd& c) {
  std::string_view pattern;
  KeyState* k;
  if (!scanCursorArg(c) || !readSet(c, c.argv[1], k)) return;
  if (!k) return scanReply(c, {}, false);
  if (!scanOptions(c, pattern)) return;
  std::vector<std::pair<std::string_view, std::string>> items;
  for (const CellMap::Field* m : liveFields(setOf(k)))
    if (pattern.empty() || globMatch(pattern, m->name)) items.emplace_back(m->name, std::string());
  scanReply(c, items, false);
}

const CommandSpec kCommands[] = {
    {"sadd", -3, saddCmd, 2},       {"srem", -3, sremCmd, 2},
    {"sismember", 3, sismemberCmd, 2}, {"smismember", -3, smismemberCmd, 2},
    {"smembers", 2, smembersCmd},   {"scard", 2, scardCmd},
    {"spop", -2, spopCmd},          {"srandmember", -2, srandmemberCmd},
    {"smove", 4, smoveCmd},         {"sunion", -2, sunionCmd},
    {"sinter", -2, sinterCmd},      {"sdiff", -2, sdiffCmd},
    {"sunionstore", -3, sunionstoreCmd}, {"sinterstore", -3, sinterstoreCmd},
    {"sdiffstore", -3, sdiffstoreCmd},   {"sscan", -3, sscanCmd},
};
}  // namespace

void registerSetCommands() { addCommands(kCommands); }

}  // namespace raa
