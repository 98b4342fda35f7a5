// A keyspace written as an RDB file, in one of two forms:
// - plain: the visible data as plain Redis types, for exports and for any Redis tool or
//   server (what `redis-cli --rdb` gets);
// - crdt: every key's full CRDT state as a module value (type 7, module "raa-crdts"), and
//   the instance's clock and causal context in aux fields: a full sync between this
//   project's instances, read back by Keyspace::SnapshotJoin.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "crdt/keyspace.h"

namespace raa {

constexpr char kCrdtModuleName[] = "raa-crdts";
constexpr unsigned kCrdtModuleVersion = 1;
constexpr char kSnapshotAux[] = "raa-snapshot";  // aux field holding Keyspace::snapshotHeader()

struct RdbExportOptions {
  bool crdt = false;
  bool compress = true;
  int64_t usedMemory = 0;
  // Written after the standard ones (repl-id, repl-offset... come from the replication layer).
  std::vector<std::pair<std::string, std::string>> aux;
};

std::string writeKeyspaceRdb(const Keyspace& ks, const RdbExportOptions& options);

}  // namespace raa
