// `resguardod init`: prepares a node's folder from its NodeConfig.
//
//   1. the data folder (mode 0700) if missing;
//   2. the master key file, only when master_key.create_for_development is
//      set and the file does not exist (32 random bytes, mode 0600);
//      otherwise it must exist;
//   3. the key set (resguardo.keys, mode 0600; internal/node_keys.h):
//      random purpose keys for a new node, wrapped under the master key;
//   4. the database (resguardo.db, mode 0600) with the node's schema
//      (schema::NodeMigrations), or the existing one migrated;
//   5. the operator institution, its KEK ring and its first admin
//      (admin::Directory::Bootstrap), with an audit entry
//      (method "resguardod/init", note "init:bootstrap") in the same
//      transaction.
// Idempotent: a second run changes nothing but one more audit entry.
//
// Thread-compatible (run once, from main).
#ifndef RESGUARDO_SERVICES_SERVER_NODE_INIT_H_
#define RESGUARDO_SERVICES_SERVER_NODE_INIT_H_

#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"

namespace resguardo::config::v1 {
class NodeConfig;
}  // namespace resguardo::config::v1

namespace resguardo::server {

struct InitReport {
  bool key_file_created = false;
  bool database_created = false;
  // The master key's id (FileKeyProvider::key_id).
  std::string master_key_id;
};

// Errors name the configuration field or file at fault: the key provider's
// (NOT_FOUND for a missing key file without create_for_development,
// FAILED_PRECONDITION for a bad mode or size), the store's (a database that
// does not open with this key), Directory::Bootstrap's (another operator
// institution already there).
absl::StatusOr<InitReport> InitNode(const config::v1::NodeConfig& config,
                                    const Clock* clock);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_NODE_INIT_H_
