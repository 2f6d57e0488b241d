// The node's audit signing key, for the operator (resguardod audit-key and
// rotate-audit-key): open the node's database as `serve` does, check the log
// as `serve` does (audit/checkpointer.h), and report or rotate the key.
//
// Rotation is offline: stop the node first (a running node keeps signing
// with the key it loaded at start-up). It adds the next key generation and
// signs a transition checkpoint at the current size with both the old and
// the new key, so that an auditor holding the old key can verify the new one.
//
// Errors: as Node::Start for the key file and the database; DATA_LOSS for a
// tampered log. Thread-compatible.
#ifndef RESGUARDO_SERVICES_SERVER_AUDIT_KEYS_H_
#define RESGUARDO_SERVICES_SERVER_AUDIT_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/audit/checkpointer.h"

namespace resguardo::server {

struct AuditKeyReport {
  std::string origin;
  // Every generation, oldest first; the last one signs.
  std::vector<audit::AuditKey> keys;
  // The latest checkpoint (after rotation: the transition checkpoint).
  audit::SignedCheckpoint checkpoint;
};

absl::StatusOr<AuditKeyReport> ShowAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock);
absl::StatusOr<AuditKeyReport> RotateAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_AUDIT_KEYS_H_
