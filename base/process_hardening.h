// Process hardening: what a crash or a debugger of the same user can take
// from a process that holds keys and decrypted personal data.
//
// HardenProcess() makes the process non-dumpable (prctl PR_SET_DUMPABLE 0:
// no core file, and another process of the same user, without
// CAP_SYS_PTRACE, can neither ptrace it nor read its memory, environment or
// open files under /proc/<pid>) and sets RLIMIT_CORE to 0, soft and hard (no
// core file even if a later change made it dumpable again). Both main()s
// call it first, before any thread starts or any key or record is read:
// resguardod (the master key, every institution's KEK ring, decrypted
// records) and the resguardo CLI (decrypted records, the user's TLS key).
//
// Key memory is locked and kept out of dumps by crypto::SecretData
// (crypto/secret_data.h), not here: base/ knows nothing of keys.
//
// Thread safety: call once, from main, before other threads exist.
#ifndef RESGUARDO_BASE_PROCESS_HARDENING_H_
#define RESGUARDO_BASE_PROCESS_HARDENING_H_

#include <string>

namespace resguardo {

// What HardenProcess did. An error names the step and the errno text; the
// process should not go on handling keys or records without it.
struct HardeningResult {
  bool ok = false;
  std::string error;  // empty when ok
};

HardeningResult HardenProcess();

}  // namespace resguardo

#endif  // RESGUARDO_BASE_PROCESS_HARDENING_H_
