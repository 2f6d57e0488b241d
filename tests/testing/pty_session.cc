#include "tests/testing/pty_session.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace resguardo::testing {

absl::StatusOr<std::unique_ptr<PtySession>> PtySession::Start(
    const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("no program");
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0)
    return absl::InternalError(absl::StrCat("forkpty: errno ", errno));
  if (pid == 0) {
    execv(args[0], args.data());
    _exit(127);
  }
  return std::unique_ptr<PtySession>(new PtySession(pid, master));
}

PtySession::~PtySession() {
  if (exit_code_ == -2) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(master_);
}

int PtySession::ReadSome(absl::Duration timeout) {
  pollfd fd{master_, POLLIN, 0};
  const int ready =
      poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready == 0) return 0;  // nothing yet
  if (ready < 0) return -1;
  char buffer[4096];
  const ssize_t n = read(master_, buffer, sizeof buffer);
  if (n <= 0) return -1;  // EIO: the program closed the terminal
  output_.append(buffer, static_cast<size_t>(n));
  return static_cast<int>(n);
}

bool PtySession::WaitFor(absl::string_view text, absl::Duration timeout) {
  const absl::Time until = absl::Now() + timeout;
  while (true) {
    const size_t at = output_.find(std::string(text), matched_);
    if (at != std::string::npos) {
      matched_ = at + text.size();
      return true;
    }
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    if (ReadSome(std::min(left, absl::Milliseconds(200))) < 0) {
      const size_t last = output_.find(std::string(text), matched_);
      if (last == std::string::npos) return false;
      matched_ = last + text.size();
      return true;
    }
  }
}

void PtySession::Type(absl::string_view line) {
  const std::string typed = absl::StrCat(line, "\n");
  (void)!write(master_, typed.data(), typed.size());
}

void PtySession::Interrupt() {
  if (exit_code_ == -2) kill(pid_, SIGINT);
}

int PtySession::Finish(absl::Duration timeout) {
  if (exit_code_ != -2) return exit_code_;
  const char eof = 4;  // Ctrl-D at the start of a line: end of input
  (void)!write(master_, &eof, 1);
  const absl::Time until = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (absl::Now() > until) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      exit_code_ = -1;
      return exit_code_;
    }
    ReadSome(absl::Milliseconds(50));
  }
  while (ReadSome(absl::Milliseconds(50)) > 0) {
  }
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return exit_code_;
}

}  // namespace resguardo::testing
