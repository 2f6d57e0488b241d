// A program run on a pseudo-terminal, as a person at a terminal runs it: its
// stdin, stdout and stderr are the terminal, so it prompts. The test waits
// for what it prints and types answers.
//
// Not thread-safe.
#ifndef RESGUARDO_TESTS_TESTING_PTY_SESSION_H_
#define RESGUARDO_TESTS_TESTING_PTY_SESSION_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace resguardo::testing {

class PtySession {
 public:
  // Starts argv[0] with `argv` on a new pseudo-terminal.
  static absl::StatusOr<std::unique_ptr<PtySession>> Start(
      const std::vector<std::string>& argv);
  ~PtySession();

  // Reads until everything printed so far holds `text` after the point the
  // last WaitFor matched; false after `timeout` or when the program ends
  // first.
  bool WaitFor(absl::string_view text,
               absl::Duration timeout = absl::Seconds(20));

  // Types `line` and Enter.
  void Type(absl::string_view line);

  // Sends it SIGINT, as Ctrl-C at the terminal does.
  void Interrupt();

  // Waits for the program to end (closing the terminal's input first);
  // its exit code, or -1 if it was killed after `timeout`.
  int Finish(absl::Duration timeout = absl::Seconds(30));

  // Everything it printed (with the terminal's echo of what was typed).
  const std::string& output() const { return output_; }

 private:
  PtySession(pid_t pid, int master) : pid_(pid), master_(master) {}
  // Appends what is readable within `timeout`: the bytes read, 0 if none
  // came, -1 at the end of the program's output.
  int ReadSome(absl::Duration timeout);

  pid_t pid_;
  int master_;
  std::string output_;
  size_t matched_ = 0;
  int exit_code_ = -2;
};

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_PTY_SESSION_H_
