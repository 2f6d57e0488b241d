// Core dumps and ptrace (issue 13, item 5), read from outside the real
// binaries while they run: the serving resguardod and the resguardo CLI.
//   - /proc/<pid>/limits: no core file (RLIMIT_CORE 0, soft and hard);
//   - the process is not dumpable: a process of the same user without
//     CAP_SYS_PTRACE may not inspect it (kcmp, a ptrace access check),
//     while it may inspect a dumpable process started the same way;
//   - /proc/<pid>/smaps: the node's key arena is marked MADV_DONTDUMP
//     ("dd") and, where the limits allow, locked ("lo").
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_node.h"

extern char** environ;

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

std::string ReadProc(pid_t pid, const char* file) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/", file));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The soft and hard limits of "Max core file size" in /proc/<pid>/limits.
std::string CoreLimits(pid_t pid) {
  for (absl::string_view line : absl::StrSplit(ReadProc(pid, "limits"), '\n')) {
    if (absl::StartsWith(line, "Max core file size")) {
      std::vector<absl::string_view> words =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      // Max core file size <soft> <hard> <units>
      if (words.size() >= 6) return absl::StrCat(words[4], " ", words[5]);
    }
  }
  return "";
}

// Whether a process of this user without CAP_SYS_PTRACE may inspect `pid`:
// kcmp makes the same ptrace access check (read mode, real credentials) that
// guards /proc/<pid>/mem, environ and ptrace itself. Runs in a child that
// drops CAP_SYS_PTRACE from its effective set. Returns the child's verdict:
// 0 allowed, EPERM refused, or another errno.
int InspectWithoutPtraceCapability(pid_t pid) {
  const pid_t child = fork();
  if (child == 0) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &header, data) != 0) _exit(100);
    data[CAP_SYS_PTRACE / 32].effective &= ~(1u << (CAP_SYS_PTRACE % 32));
    if (syscall(SYS_capset, &header, data) != 0) _exit(101);
    const long r = syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0);
    _exit(r >= 0 ? 0 : (errno == EPERM ? EPERM : 102));
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 103;
}

// The VmFlags of every anonymous read-write mapping of `pid`
// (/proc/<pid>/smaps); the kernel's own [vvar] and [vdso] are always "dd".
std::vector<std::string> MappingFlags(pid_t pid) {
  std::vector<std::string> flags;
  bool anonymous_rw = false;
  for (absl::string_view line : absl::StrSplit(ReadProc(pid, "smaps"), '\n')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (!words.empty() && absl::StrContains(words[0], '-') &&
        words.size() >= 5) {
      // address perms offset dev inode [name]
      anonymous_rw = absl::StartsWith(words[1], "rw") && words.size() == 5;
    } else if (absl::StartsWith(line, "VmFlags:") && anonymous_rw) {
      flags.push_back(std::string(line.substr(8)));
    }
  }
  return flags;
}

bool HasFlag(const std::string& flags, absl::string_view flag) {
  for (absl::string_view f : absl::StrSplit(flags, ' ', absl::SkipEmpty())) {
    if (f == flag) return true;
  }
  return false;
}

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

void Reap(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

TEST(ProcessHardeningTest, ProbeSeesADumpableProcess) {
  // The probe itself: a plain process of the same user is inspectable.
  const pid_t sleeper = Spawn({"/bin/sleep", "30"});
  ASSERT_GT(sleeper, 0);
  EXPECT_EQ(InspectWithoutPtraceCapability(sleeper), 0);
  Reap(sleeper);
}

TEST(ProcessHardeningTest, NodeIsNotDumpableAndItsKeyMemoryIsNotDumped) {
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  ASSERT_TRUE(node.Start().ok()) << node.LogText();
  const pid_t pid = node.pid();

  EXPECT_EQ(CoreLimits(pid), "0 0");
  EXPECT_EQ(InspectWithoutPtraceCapability(pid), EPERM);

  // The key arena: an anonymous mapping kept out of dumps; locked too when
  // the limits allow (root has CAP_IPC_LOCK).
  bool not_dumped = false;
  bool locked_and_not_dumped = false;
  for (const std::string& flags : MappingFlags(pid)) {
    if (HasFlag(flags, "dd")) {
      not_dumped = true;
      locked_and_not_dumped |= HasFlag(flags, "lo");
    }
  }
  EXPECT_TRUE(not_dumped);
  if (geteuid() == 0) EXPECT_TRUE(locked_and_not_dumped);
  EXPECT_THAT(node.LogText(),
              HasSubstr("\"event\":\"process_hardening\",\"core_dumps\":"
                        "\"off\""));
}

TEST(ProcessHardeningTest, CliIsNotDumpable) {
  // The CLI blocks opening a FIFO as its bundle: inspect it meanwhile.
  const std::string dir = ::testing::TempDir();
  const std::string fifo = absl::StrCat(dir, "/hardening-", getpid(), ".fifo");
  unlink(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const pid_t cli = Spawn(
      {absl::StrCat(std::getenv("RESGUARDO_BIN_DIR"), "/resguardo"), "audit",
       "verify", fifo, "--key", "resguardo.local/audit+00000000+AAAA"});
  // (The key is not checked before the bundle is opened.)
  ASSERT_GT(cli, 0);
  // Wait until it has opened the FIFO (it blocks there).
  bool blocked = false;
  for (int i = 0; i < 200 && !blocked; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const std::string wchan = ReadProc(cli, "wchan");
    blocked =
        absl::StrContains(wchan, "partner") || absl::StrContains(wchan, "fifo");
  }
  ASSERT_TRUE(blocked) << "the CLI never opened the FIFO";
  EXPECT_EQ(CoreLimits(cli), "0 0");
  EXPECT_EQ(InspectWithoutPtraceCapability(cli), EPERM);
  Reap(cli);
  unlink(fifo.c_str());
}

}  // namespace
}  // namespace resguardo
