#include "services/server/node_init.h"

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "resguardo/v1/audit.pb.h"
#include "services/admin/directory.h"
#include "services/audit/audit_log.h"
#include "services/schema/node_schema.h"
#include "services/server/config_loader.h"
#include "services/server/internal/node_keys.h"
#include "services/store/database.h"

namespace resguardo::server {
namespace {

absl::Status InField(absl::string_view field, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

// Creates `dir` (and its parents) if missing; a new folder gets mode 0700.
absl::Status MakePrivateDir(absl::string_view field, const std::string& dir) {
  std::error_code error;
  if (std::filesystem::is_directory(dir, error)) return absl::OkStatus();
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": cannot create folder ", dir, ": ", error.message()));
  }
  if (chmod(dir.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": cannot set mode 0700 on ", dir));
  }
  return absl::OkStatus();
}

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

}  // namespace

absl::StatusOr<InitReport> InitNode(const config::v1::NodeConfig& config,
                                    const Clock* clock) {
  InitReport report;
  RETURN_IF_ERROR(MakePrivateDir("data_dir", config.data_dir()));

  const std::string& key_file = config.master_key().key_file();
  crypto::FileKeyProvider::Mode mode =
      crypto::FileKeyProvider::Mode::kMustExist;
  if (config.master_key().create_for_development()) {
    mode = crypto::FileKeyProvider::Mode::kCreateIfMissing;
    report.key_file_created = !Exists(key_file);
    std::string parent = std::filesystem::path(key_file).parent_path();
    if (!parent.empty()) {
      RETURN_IF_ERROR(MakePrivateDir("master_key.key_file", parent));
    }
  }
  {
    // Checks (and in development creates) the key file; OpenNodeKeys then
    // reads it again with the key set.
    absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> master =
        crypto::FileKeyProvider::New(key_file, mode);
    if (!master.ok()) return InField("master_key.key_file", master.status());
  }
  // A new node gets a key set of random keys; an older one, its own keys.
  ASSIGN_OR_RETURN(internal::NodeKeys node_keys,
                   internal::OpenNodeKeys(config, internal::Write::kYes));
  report.master_key_id = node_keys.master->key_id();
  const crypto::KeyProvider* keys = node_keys.keys.get();

  std::string db_path = DatabasePath(config);
  report.database_created = !Exists(db_path);
  std::unique_ptr<store::Database> db;
  {
    ASSIGN_OR_RETURN(crypto::SecretData db_key,
                     keys->DeriveKey(crypto::KeyPurpose::kDatabase));
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    options.read_connections = 1;
    absl::StatusOr<std::unique_ptr<store::Database>> opened =
        store::Database::Open(db_path, db_key, options);
    if (!opened.ok()) return InField("data_dir", opened.status());
    db = *std::move(opened);
  }

  ASSIGN_OR_RETURN(std::unique_ptr<admin::Directory> directory,
                   admin::Directory::New(*keys, clock));
  audit::AuditLog audit(clock);
  const config::v1::OperatorConfig& op = config.operator_institution();
  admin::OperatorInstitution institution;
  institution.institution_id = op.institution_id();
  institution.display_name = op.display_name();
  institution.kind = op.kind();
  institution.state_code = op.state_code();
  absl::Status bootstrapped =
      db->Write([&](store::WriteTxn& txn) -> absl::Status {
        absl::Status done =
            directory->Bootstrap(txn, institution, op.first_admin_user_id());
        if (!done.ok()) {
          return InField("operator_institution", done);
        }
        v1::AuditEntry entry;
        entry.set_method("resguardod/init");
        entry.set_resource(absl::StrCat("institutions/", op.institution_id()));
        entry.set_institution(op.institution_id());
        entry.set_outcome(0);
        entry.set_note("init:bootstrap");
        return audit.Append(txn, std::move(entry)).status();
      });
  absl::Status closed = db->Close();
  RETURN_IF_ERROR(bootstrapped);
  RETURN_IF_ERROR(closed);
  return report;
}

}  // namespace resguardo::server
