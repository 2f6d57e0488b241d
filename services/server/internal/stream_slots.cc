#include "services/server/internal/stream_slots.h"

#include "absl/strings/str_cat.h"

namespace resguardo::server::internal {

absl::Status StreamSlots::Acquire(absl::string_view user) {
  absl::MutexLock lock(&mu_);
  if (!user.empty()) {
    auto it = per_user_open_.find(user);
    if (it != per_user_open_.end() && it->second >= per_user_) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "you have ", per_user_,
          " streams open, the most one user may: close one first"));
    }
  }
  if (open_ >= total_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the node has ", total_,
                     " streams open, the most it serves: retry with backoff"));
  }
  ++open_;
  if (!user.empty()) ++per_user_open_[user];
  return absl::OkStatus();
}

void StreamSlots::Release(absl::string_view user) {
  absl::MutexLock lock(&mu_);
  --open_;
  if (user.empty()) return;
  auto it = per_user_open_.find(user);
  if (it != per_user_open_.end() && --it->second <= 0) {
    per_user_open_.erase(it);
  }
}

int StreamSlots::open() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

}  // namespace resguardo::server::internal
