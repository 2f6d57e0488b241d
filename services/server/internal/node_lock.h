// The node's lock: an exclusive flock(2) on data_dir/resguardo.lock (mode
// 0600), held by a serving node for its whole life and by the offline
// commands that need the node stopped (rotate-master-key, rekey-database,
// rotate-audit-key, restore). The kernel drops it when the process ends,
// however it ends, so a killed node leaves no stale lock.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_LOCK_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_LOCK_H_

#include <string>

#include "absl/status/statusor.h"
#include "resguardo/config/v1/node_config.pb.h"

namespace resguardo::server::internal {

class NodeLock {
 public:
  // FAILED_PRECONDITION "data_dir: the node is running..." when another
  // process holds the lock; NOT_FOUND when data_dir does not exist.
  static absl::StatusOr<NodeLock> Acquire(const config::v1::NodeConfig& config);

  NodeLock() = default;
  NodeLock(NodeLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  NodeLock& operator=(NodeLock&& other) noexcept;
  NodeLock(const NodeLock&) = delete;
  NodeLock& operator=(const NodeLock&) = delete;
  ~NodeLock();

 private:
  explicit NodeLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_LOCK_H_
