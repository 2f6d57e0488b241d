// KekRewrapJob: the node's background job of institution key rotations
// (kek_rotations.h). For each institution with a RUNNING rotation it
// rewraps every data key wrapped under an older KEK version to the
// rotation's version (crypto::Envelope::Rewrap: the same DEK under the new
// KEK; the sealed records are not touched), then destroys the older
// versions and marks the rotation DONE.
//
// Batches. Each batch is one write transaction of its own on the store's
// writer (store::Database::Write, queued behind the calls like any write):
// it rewraps at most Options::batch_size data keys and stores, in the same
// transaction, how many it rewrapped and where it stopped (kek_rotations'
// phase and cursor). A kill between batches loses nothing and redoes
// nothing: the next start resumes at the last committed batch. Data keys
// are walked in a fixed order: the institution's cases by id, its referral
// copies (referral_keys it holds) by referral id, the follow-up notes of
// the referrals it received by (referral id, seq), the entries of the
// registry of sanctioned persons it inscribed (registry_entries: each
// seals the person's name under a data key of its own) by id. A key
// already under the rotation's version (a record written after the start)
// is passed over.
//
// Retiring. When the walk is over, a read transaction (not the writer)
// checks that no data key of the institution is under another version; if
// one is, the walk starts again (nothing writes under an old version after
// the start commits, so this is a safety net, not a path). Then one short
// write destroys every other version (KeyRings::DestroyAllBut, which drops
// KeyRings' envelope cache), marks the rotation DONE, and appends an audit
// entry whose actor is the node itself ("node"; method kRetireMethod,
// resource the rotation's name, note the versions destroyed).
//
// A batch that fails (a data key that does not unwrap, the store busy) is
// not skipped: the job reports the code (Options::on_error) and tries again
// after Options::idle_poll; no version is destroyed while a key refers to
// it.
//
// Start() runs batches on a thread of its own, back to back with
// Options::pause between them while any rotation runs, and otherwise
// sleeps until Wake() or Options::idle_poll; Stop() ends it after the batch
// in progress. RunBatch and RunToCompletion are for tests.
//
// Thread safety: thread-safe. Ownership: everything passed in is borrowed
// and must outlive the job (Stop() before destroying them).
#ifndef RESGUARDO_SERVICES_ADMIN_KEK_REWRAP_JOB_H_
#define RESGUARDO_SERVICES_ADMIN_KEK_REWRAP_JOB_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "services/admin/key_rings.h"
#include "services/audit/audit_log.h"
#include "services/store/database.h"

namespace resguardo::admin {

class KekRewrapJob {
 public:
  // The method of the audit entry of a retirement.
  static constexpr char kRetireMethod[] = "resguardod/RetireKekVersions";
  // The actor of that entry: the node itself.
  static constexpr char kNodeActor[] = "node";

  struct Options {
    int batch_size = 200;  // 1-10000
    absl::Duration pause = absl::ZeroDuration();
    absl::Duration idle_poll = absl::Seconds(5);
    // Called with the code of a failed batch (never its message: it may name
    // a record).
    std::function<void(absl::StatusCode)> on_error;
  };

  KekRewrapJob(store::Database* db, KeyRings* rings,
               const audit::AuditLog* audit, const Clock* clock,
               Options options)
      : db_(db),
        rings_(rings),
        audit_(audit),
        clock_(clock),
        options_(std::move(options)) {}
  KekRewrapJob(const KekRewrapJob&) = delete;
  KekRewrapJob& operator=(const KekRewrapJob&) = delete;
  ~KekRewrapJob() { Stop(); }

  // One step of the running rotation of `institution`: a batch of the walk,
  // or the retirement. True while the rotation has more to do; false once
  // it is done, or if none runs. The store's and the envelope's errors.
  absl::StatusOr<bool> RunBatch(absl::string_view institution);

  // Steps every running rotation until none is left.
  absl::Status RunToCompletion();

  void Start() ABSL_LOCKS_EXCLUDED(mu_);
  // A rotation has started: run now instead of at the next poll.
  void Wake() ABSL_LOCKS_EXCLUDED(mu_);
  // Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Steps every running rotation once; true if any has more to do.
  absl::StatusOr<bool> StepAll();
  absl::StatusOr<bool> Retire(absl::string_view institution);

  store::Database* const db_;
  KeyRings* const rings_;
  const audit::AuditLog* const audit_;
  const Clock* const clock_;
  const Options options_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace resguardo::admin

#endif  // RESGUARDO_SERVICES_ADMIN_KEK_REWRAP_JOB_H_
