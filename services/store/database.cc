#include "services/store/database.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/status_macros.h"
#include "crypto/secret_data.h"
#include "services/store/internal/connection.h"
#include "services/store/internal/group_commit_writer.h"
#include "services/store/internal/migrator.h"
#include "services/store/internal/read_pool.h"
#include "services/store/internal/wal_checkpointer.h"
#include "services/store/migration.h"
#include "services/store/transaction.h"

namespace resguardo::store {
namespace {

absl::Status ValidateOptions(const Database::Options& options) {
  if (options.read_connections < 1) {
    return absl::InvalidArgumentError(
        "store: Options.read_connections must be at least 1");
  }
  if (options.max_batch_size < 1) {
    return absl::InvalidArgumentError(
        "store: Options.max_batch_size must be at least 1");
  }
  if (options.max_queued_writes < 1) {
    return absl::InvalidArgumentError(
        "store: Options.max_queued_writes must be at least 1");
  }
  if (options.wal_checkpoint_pages < 1) {
    return absl::InvalidArgumentError(
        "store: Options.wal_checkpoint_pages must be at least 1");
  }
  if (options.cache_size_kib < 64 || options.reader_cache_size_kib < 64) {
    return absl::InvalidArgumentError(
        "store: Options.cache_size_kib and reader_cache_size_kib must be at "
        "least 64");
  }
  if (options.application_id == 0) {
    return absl::InvalidArgumentError(
        "store: Options.application_id must not be 0");
  }
  if (options.busy_timeout < absl::ZeroDuration() ||
      options.queue_full_wait < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "store: Options.busy_timeout and queue_full_wait must not be "
        "negative");
  }
  return ValidateMigrations(options.migrations);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Makes sure `path` is a regular, non-empty file, or creates it empty with
// mode 0600 (SQLite would create it 0644; its -wal and -shm files copy the
// database file's mode). A new file's directory entry is fsynced.
absl::Status PrepareFile(const std::string& path, bool create_if_missing) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "store: the database path ", path, " is not a regular file"));
    }
    if (st.st_size == 0 && !create_if_missing) {
      return absl::FailedPreconditionError(absl::StrCat(
          "store: the database file ", path,
          " is empty; refusing to start on a new database (create it "
          "first)"));
    }
    return absl::OkStatus();
  }
  if (errno != ENOENT) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: cannot read the database path ", path, ": ",
                     std::strerror(errno)));
  }
  if (!create_if_missing) {
    return absl::NotFoundError(
        absl::StrCat("store: the database file ", path, " does not exist"));
  }
  const int fd =
      open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::OkStatus();  // Created meanwhile.
    return absl::FailedPreconditionError(
        absl::StrCat("store: cannot create the database file ", path, ": ",
                     std::strerror(errno)));
  }
  close(fd);
  const int dir = open(DirectoryOf(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const crypto::SecretData& key, Options options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  if (key.size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store: the database key must be 32 bytes, not ", key.size()));
  }
  RETURN_IF_ERROR(PrepareFile(path, options.create_if_missing));

  internal::ConnectionOptions connection_options;
  connection_options.role = internal::ConnectionOptions::Role::kWriter;
  connection_options.busy_timeout = options.busy_timeout;
  connection_options.cache_size_kib = options.cache_size_kib;
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> writer,
                   internal::Connection::Open(path, key, connection_options));
  if (options.verify_integrity_on_open) {
    ASSIGN_OR_RETURN(std::string check,
                     writer->QueryText("PRAGMA quick_check"));
    if (check != "ok") {
      return absl::DataLossError(absl::StrCat(
          "store: the database file ", path,
          " does not open with this node's key, or is damaged (its "
          "integrity check failed)"));
    }
  }
  ASSIGN_OR_RETURN(int version,
                   internal::ApplyMigrations(*writer, options.migrations,
                                             options.application_id));

  connection_options.role = internal::ConnectionOptions::Role::kReader;
  connection_options.cache_size_kib = options.reader_cache_size_kib;
  std::vector<std::unique_ptr<internal::Connection>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> reader,
                     internal::Connection::Open(path, key, connection_options));
    readers.push_back(std::move(reader));
  }
  connection_options.role = internal::ConnectionOptions::Role::kCheckpointer;
  connection_options.cache_size_kib = 64;  // It reads no pages of its own.
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> checkpointer,
                   internal::Connection::Open(path, key, connection_options));
  return std::unique_ptr<Database>(
      new Database(path, version, std::move(writer), std::move(readers),
                   std::move(checkpointer), options));
}

Database::Database(std::string path, int schema_version,
                   std::unique_ptr<internal::Connection> writer_connection,
                   std::vector<std::unique_ptr<internal::Connection>> readers,
                   std::unique_ptr<internal::Connection> checkpointer,
                   const Options& options)
    : path_(std::move(path)),
      schema_version_(schema_version),
      writer_connection_(std::move(writer_connection)) {
  checkpointer_ = std::make_unique<internal::WalCheckpointer>(
      std::move(checkpointer), options.wal_checkpoint_pages);
  // Before the writer thread starts using the connection.
  writer_connection_->SetWalHook(
      [checkpointer = checkpointer_.get(), writer = writer_connection_.get(),
       restart_pages = 4 * options.wal_checkpoint_pages](int frames) {
        checkpointer->NoteWalFrames(frames);
        // SQLite starts the WAL over only at a write that begins after a
        // checkpoint has copied all of it, which the checkpointer thread
        // never quite does while writes go on: at this size the writer
        // copies the little the thread has left itself (or skips it, if
        // the thread holds the checkpoint lock), and the next batch can
        // start the WAL over.
        if (frames >= restart_pages) writer->CheckpointPassive().IgnoreError();
      });
  internal::WriterOptions writer_options;
  writer_options.max_batch_size = options.max_batch_size;
  writer_options.max_queued_writes = options.max_queued_writes;
  writer_options.queue_full_wait = options.queue_full_wait;
  writer_options.storage_probe_interval = options.storage_probe_interval;
  writer_ = std::make_unique<internal::GroupCommitWriter>(
      writer_connection_.get(), writer_options);
  readers_ = std::make_unique<internal::ReadPool>(std::move(readers),
                                                  writer_->ended_batches());
}

Database::~Database() { Close().IgnoreError(); }

absl::Status Database::Close() {
  absl::MutexLock lock(&close_mu_);
  if (closed_) return close_status_;
  closed_ = true;
  writer_->Shutdown();    // Commits what is queued, then stops.
  readers_->Shutdown();   // Waits for reads in progress.
  checkpointer_->Stop();  // Waits for a checkpoint in progress.
  // With no reader left, the checkpoint copies the whole WAL into the file
  // and truncates the WAL to zero bytes.
  close_status_ = writer_connection_->Exec("PRAGMA wal_checkpoint(TRUNCATE)",
                                           "checkpoint at close");
  writer_connection_.reset();
  return close_status_;
}

absl::Status Database::WriteImpl(
    Isolation isolation, absl::FunctionRef<absl::Status(WriteTxn&)> fn) {
  return writer_->Submit(fn, isolation == Isolation::kSavepoint
                                 ? internal::WriteIsolation::kSavepoint
                                 : internal::WriteIsolation::kChecksFirst);
}

absl::Status Database::WriteAsync(
    Isolation isolation, absl::AnyInvocable<absl::Status(WriteTxn&)> fn,
    absl::AnyInvocable<void(absl::Status)> done, Room room) {
  // Not under close_mu_: Close holds it while the writer drains, and a
  // drained request's `done` may queue another write (refused: stopping).
  return writer_->SubmitAsync(std::move(fn),
                              isolation == Isolation::kSavepoint
                                  ? internal::WriteIsolation::kSavepoint
                                  : internal::WriteIsolation::kChecksFirst,
                              std::move(done), room == Room::kReserved);
}

absl::Status Database::ReadImpl(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  return readers_->Run(fn);
}

bool Database::writable() const { return writer_->writable(); }

void Database::SetWritableListener(
    std::function<void(bool writable, const absl::Status& cause)> listener) {
  writer_->SetWritableListener(std::move(listener));
}

void Database::SetBatchListener(
    std::function<void(const BatchReport&)> listener) {
  if (listener == nullptr) {
    writer_->SetBatchListener(nullptr);
    return;
  }
  writer_->SetBatchListener(
      [listener = std::move(listener)](const internal::BatchReport& report) {
        listener(
            BatchReport{report.requests, report.committed, report.commit_time});
      });
}

Database::WriteStats Database::write_stats() const {
  const internal::WriterCounters c = writer_->counters();
  WriteStats stats;
  stats.requests = c.requests;
  stats.requests_committed = c.requests_committed;
  stats.requests_failed = c.requests_failed;
  stats.transactions = c.transactions;
  stats.commits = c.commits;
  stats.failed_commits = c.failed_commits;
  stats.largest_batch = c.largest_batch;
  stats.queued = c.queued;
  const internal::WalCheckpointer::Counters checkpoints =
      checkpointer_->counters();
  stats.checkpoints = checkpoints.checkpoints;
  stats.failed_checkpoints = checkpoints.failures;
  return stats;
}

}  // namespace resguardo::store
