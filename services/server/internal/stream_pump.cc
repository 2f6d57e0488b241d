#include "services/server/internal/stream_pump.h"

#include <vector>

namespace resguardo::server::internal {
namespace {

// The stream whose Poll or Abort this thread is running, if any.
thread_local PolledStream* current_stream = nullptr;

}  // namespace

StreamPump::StreamPump(absl::Duration interval)
    : interval_(interval), thread_([this] { Loop(); }) {}

StreamPump::~StreamPump() { Stop(); }

bool StreamPump::Add(PolledStream* stream) {
  absl::MutexLock lock(&mu_);
  if (aborted_) return false;
  streams_.insert(stream);
  return true;
}

void StreamPump::Remove(PolledStream* stream) {
  absl::MutexLock lock(&mu_);
  streams_.erase(stream);
  const int own = current_stream == stream ? 1 : 0;
  auto idle = [this, stream, own]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = busy_.find(stream);
    return it == busy_.end() || it->second <= own;
  };
  mu_.Await(absl::Condition(&idle));
}

template <typename Fn>
void StreamPump::WithStream(PolledStream* s, Fn fn) {
  {
    absl::MutexLock lock(&mu_);
    if (!streams_.count(s)) return;  // ended meanwhile
    ++busy_[s];
  }
  PolledStream* outer = current_stream;
  current_stream = s;
  fn(s);
  current_stream = outer;
  absl::MutexLock lock(&mu_);
  if (--busy_[s] == 0) busy_.erase(s);
}

void StreamPump::AbortAll() {
  std::vector<PolledStream*> open;
  {
    absl::MutexLock lock(&mu_);
    aborted_ = true;
    open.assign(streams_.begin(), streams_.end());
  }
  for (PolledStream* s : open) {
    WithStream(s, [](PolledStream* p) { p->Abort(); });
  }
}

void StreamPump::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void StreamPump::Loop() {
  while (true) {
    std::vector<PolledStream*> snapshot;
    {
      absl::MutexLock lock(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_);
      if (stopping_) return;
      snapshot.assign(streams_.begin(), streams_.end());
    }
    for (PolledStream* s : snapshot) {
      WithStream(s, [](PolledStream* p) { p->Poll(); });
    }
  }
}

}  // namespace resguardo::server::internal
