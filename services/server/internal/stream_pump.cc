#include "services/server/internal/stream_pump.h"

#include <utility>
#include <vector>

namespace resguardo::server::internal {
namespace {

// The stream whose Poll, AfterPoll or Abort this thread is running, if any.
thread_local PolledStream* current_stream = nullptr;

}  // namespace

absl::StatusOr<uint64_t> PollRound::Shared(
    const std::string& key,
    absl::FunctionRef<absl::StatusOr<uint64_t>()> compute) {
  auto it = values_.find(key);
  if (it == values_.end()) it = values_.emplace(key, compute()).first;
  return it->second;
}

StreamPump::StreamPump(absl::Duration interval, Reader reader)
    : interval_(interval),
      reader_(std::move(reader)),
      thread_([this] { Loop(); }) {}

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

uint64_t StreamPump::rounds() const {
  absl::MutexLock lock(&mu_);
  return rounds_;
}

std::vector<PolledStream*> StreamPump::Acquire(
    const std::vector<PolledStream*>& streams) {
  std::vector<PolledStream*> open;
  absl::MutexLock lock(&mu_);
  for (PolledStream* s : streams) {
    if (!streams_.count(s)) continue;  // ended meanwhile
    ++busy_[s];
    open.push_back(s);
  }
  return open;
}

void StreamPump::Release(PolledStream* s) {
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
  for (PolledStream* s : Acquire(open)) {
    PolledStream* outer = current_stream;
    current_stream = s;
    s->Abort();
    current_stream = outer;
    Release(s);
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
    std::vector<PolledStream*> polled = Acquire(snapshot);
    if (polled.empty()) continue;
    {
      absl::MutexLock lock(&mu_);
      ++rounds_;
    }
    PollRound round;
    const absl::Status read = reader_([&](store::ReadTxn& txn) -> absl::Status {
      for (PolledStream* s : polled) {
        current_stream = s;
        s->Poll(txn, round);
      }
      current_stream = nullptr;
      return absl::OkStatus();
    });
    current_stream = nullptr;
    for (PolledStream* s : polled) {
      current_stream = s;
      s->AfterPoll(read);
      current_stream = nullptr;
      Release(s);
    }
  }
}

}  // namespace resguardo::server::internal
