// KekRotations and KekRewrapJob on a real SQLCipher store: who may start a
// rotation, one at a time, the walk in batches of the configured size, the
// sealed payloads untouched and still opening under the new version, the
// older version destroyed and audited with the node as actor, and the
// safety net: a key still under the old version when the walk ends (put
// there behind the job's back) makes it walk again instead of destroying
// the version.
#include "services/admin/kek_rotations.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/admin/directory.h"
#include "services/admin/kek_rewrap_job.h"
#include "services/admin/testing/test_institutions.h"
#include "services/api/error_catalogue.h"
#include "services/api/resource_names.h"
#include "services/audit/audit_log.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::admin {
namespace {

using ::resguardo::admin::testing::Caller;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;

crypto::RecordContext Context(const std::string& name) {
  return {"test.sealed", "IEEPCO", name, 1};
}

class KekRotationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"), db_key_, options));
    ASSERT_OK_AND_ASSIGN(directory_, Directory::New(keys_, &clock_));
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
      return testing::RegisterIeepcoAndFgeo(txn, *directory_);
    }));
    rotations_ =
        std::make_unique<KekRotations>(directory_->key_rings(), &clock_);
    KekRewrapJob::Options job_options;
    job_options.batch_size = 2;
    job_ = std::make_unique<KekRewrapJob>(db_.get(), directory_->key_rings(),
                                          &audit_, &clock_, job_options);
  }

  std::string Folio(int n) { return api::FormatFolio("IEEPCO", 2026, n); }

  // A case row with a data key of the primary version at the time, and a
  // record sealed under it; or, with `wrapped`, that wrapped key as is.
  void InsertCase(int n, std::string wrapped = "") {
    const std::string name = api::CaseResourceName("IEEPCO", Folio(n));
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      std::string sealed;
      if (wrapped.empty()) {
        ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                         directory_->EnvelopeFor(txn, "IEEPCO"));
        ASSIGN_OR_RETURN(crypto::Envelope::NewKey key,
                         envelope->NewDataKey(name));
        ASSIGN_OR_RETURN(
            sealed, key.key.Seal(absl::StrCat("registro ", n), Context(name)));
        wrapped = key.wrapped;
      }
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("INSERT INTO cases(id, institution, folio, kind, "
                      "status, state_code, reported_date, risk_level, "
                      "create_time, update_time, creator, wrapped_dek, "
                      "sealed_personal_data) VALUES (?1, 'IEEPCO', ?2, 1, 1, "
                      "'20', 20260310, 1, 0, 0, 'x', ?3, ?4)"));
      RETURN_IF_ERROR(s.BindInt64(1, n));
      RETURN_IF_ERROR(s.BindText(2, Folio(n)));
      RETURN_IF_ERROR(s.BindBlob(3, wrapped));
      RETURN_IF_ERROR(s.BindBlob(4, sealed));
      return s.Run();
    }));
  }

  // A data key of the primary version at the time for the record `name`,
  // and `text` sealed under it.
  struct Sealed {
    std::string wrapped;
    std::string sealed;
  };
  Sealed Seal(const std::string& name, const std::string& text) {
    Sealed out;
    EXPECT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                       directory_->EnvelopeFor(txn, "IEEPCO"));
      ASSIGN_OR_RETURN(crypto::Envelope::NewKey key,
                       envelope->NewDataKey(name));
      ASSIGN_OR_RETURN(out.sealed, key.key.Seal(text, Context(name)));
      out.wrapped = key.wrapped;
      return absl::OkStatus();
    }));
    return out;
  }

  // An entry of the registry of sanctioned persons of case `case_id`, the
  // person's name sealed under its own data key (as registry_row.cc does).
  void InsertRegistryEntry(int seq, int case_id, const Sealed& sealed) {
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("INSERT INTO registry_entries(institution, seq, case_id, "
                      "sanctioned_person, status, state_code, start_date, "
                      "end_date, entry, wrapped_dek, sealed_person_name, "
                      "create_time, update_time) VALUES ('IEEPCO', ?1, ?2, "
                      "?3, 1, '20', 20260101, 20300101, x'', ?4, ?5, 0, 0)"));
      RETURN_IF_ERROR(s.BindInt64(1, seq));
      RETURN_IF_ERROR(s.BindInt64(2, case_id));
      RETURN_IF_ERROR(s.BindText(3, absl::StrCat("person-", seq)));
      RETURN_IF_ERROR(s.BindBlob(4, sealed.wrapped));
      RETURN_IF_ERROR(s.BindBlob(5, sealed.sealed));
      return s.Run();
    }));
  }
  std::string EntryName(int seq) {
    return api::RegistryEntryResourceName("IEEPCO", seq);
  }

  // Each data key, the cases' then the registry entries': its KEK version,
  // and whether its record opens.
  struct Key {
    uint32_t version = 0;
    bool opens = false;
  };
  std::vector<Key> Keys() {
    std::vector<Key> out;
    EXPECT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                       directory_->EnvelopeFor(txn, "IEEPCO"));
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("SELECT 0, id, folio, wrapped_dek, sealed_personal_data "
                      "FROM cases UNION ALL SELECT 1, id, '', wrapped_dek, "
                      "sealed_person_name FROM registry_entries ORDER BY 1, "
                      "2"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        ASSIGN_OR_RETURN(int64_t registry, s.ColumnInt64(0));
        ASSIGN_OR_RETURN(int64_t id, s.ColumnInt64(1));
        ASSIGN_OR_RETURN(absl::string_view folio, s.ColumnText(2));
        ASSIGN_OR_RETURN(absl::string_view wrapped, s.ColumnBlob(3));
        ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(4));
        const std::string name = registry
                                     ? EntryName(static_cast<int>(id))
                                     : api::CaseResourceName("IEEPCO", folio);
        Key key;
        ASSIGN_OR_RETURN(key.version, crypto::Envelope::KekVersionOf(wrapped));
        absl::StatusOr<crypto::DataKey> dek = envelope->Unwrap(wrapped, name);
        key.opens = dek.ok() && !sealed.empty() &&
                    dek->Open(sealed, Context(name)).ok();
        out.push_back(key);
      }
      return absl::OkStatus();
    }));
    return out;
  }

  std::vector<int64_t> KekVersions() {
    std::vector<int64_t> out;
    EXPECT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("SELECT version FROM kek_versions WHERE "
                                   "institution = 'IEEPCO' ORDER BY version"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        ASSIGN_OR_RETURN(int64_t v, s.ColumnInt64(0));
        out.push_back(v);
      }
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<v1::KeyRotation> Start(const auth::Principal& caller,
                                        std::string parent =
                                            "institutions/"
                                            "IEEPCO") {
    v1::StartKeyRotationRequest r;
    r.set_parent(parent);
    return db_->Write([&](store::WriteTxn& txn) {
      return rotations_->Start(txn, caller, r);
    });
  }

  store::testing::TempDir dir_;
  crypto::SecretData db_key_{std::string(32, 'd')};
  crypto::testing::FixedKeyProvider keys_{'m'};
  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  audit::AuditLog audit_{&clock_};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Directory> directory_;
  std::unique_ptr<KekRotations> rotations_;
  std::unique_ptr<KekRewrapJob> job_;
  auth::Principal admin_ = Caller("IEEPCO", "admin", {v1::ROLE_ADMIN},
                                  /*of_operator=*/true);
  auth::Principal fgeo_admin_ = Caller("FGEO", "boss", {v1::ROLE_ADMIN});
  auth::Principal caseworker_ =
      Caller("IEEPCO", "cw", {v1::ROLE_CASEWORKER}, /*of_operator=*/true);
};

TEST_F(KekRotationsTest, OnlyAdminsOfTheInstitutionOrTheOperatorStartOne) {
  EXPECT_THAT(Start(fgeo_admin_),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(api::ErrorTextOf(Start(fgeo_admin_).status()),
            api::ErrorText(api::ErrorId::kDeniedOtherInstitutionKeys));
  EXPECT_THAT(Start(caseworker_),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Start(admin_, "institutions/"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Start(admin_, "institutions/NOPE"),
              StatusIs(absl::StatusCode::kNotFound));
  // The operator's admin rotates FGEO's keys; FGEO's admin her own.
  EXPECT_OK(Start(admin_, "institutions/FGEO"));
  ASSERT_OK_AND_ASSIGN(v1::KeyRotation started, Start(admin_));
  EXPECT_EQ(started.to_version(), 2u);
  absl::StatusOr<v1::KeyRotation> second = Start(admin_);
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(api::ErrorTextOf(second.status()),
            api::ErrorText(api::ErrorId::kKeyRotationRunning));
  // Nothing of a refused start was kept: still two versions.
  EXPECT_EQ(KekVersions(), (std::vector<int64_t>{1, 2}));
}

TEST_F(KekRotationsTest, TheJobRewrapsInBatchesThenDestroysTheOldVersion) {
  for (int n = 1; n <= 5; ++n) InsertCase(n);
  ASSERT_OK_AND_ASSIGN(v1::KeyRotation started, Start(admin_));
  EXPECT_EQ(started.data_keys_total(), 5);
  InsertCase(6);  // after the start: under version 2 already
  // Cases in batches of two (six cases: three full batches and an empty
  // one that ends the phase), the referral copies, the notes and the
  // registry entries (none), then the retirement: eight steps, the last
  // one saying it is done.
  int steps = 0;
  bool more = true;
  while (more && steps < 20) {
    ASSERT_OK_AND_ASSIGN(more, job_->RunBatch("IEEPCO"));
    ++steps;
    if (steps == 1) {
      ASSERT_OK_AND_ASSIGN(std::optional<v1::KeyRotation> progress,
                           db_->Read([](store::ReadTxn& txn) {
                             return KekRotations::Progress(txn, "IEEPCO");
                           }));
      ASSERT_TRUE(progress.has_value());
      EXPECT_EQ(progress->data_keys_rewrapped(), 2);
      EXPECT_EQ(progress->data_keys_remaining(), 3);
      EXPECT_EQ(progress->state(), v1::KEY_ROTATION_STATE_RUNNING);
      EXPECT_EQ(KekVersions(), (std::vector<int64_t>{1, 2}));
    }
  }
  EXPECT_EQ(steps, 8);
  EXPECT_EQ(KekVersions(), std::vector<int64_t>{2});
  for (const Key& key : Keys()) {
    EXPECT_EQ(key.version, 2u);
    EXPECT_TRUE(key.opens);
  }
  ASSERT_OK_AND_ASSIGN(std::optional<v1::KeyRotation> done,
                       db_->Read([](store::ReadTxn& txn) {
                         return KekRotations::Progress(txn, "IEEPCO");
                       }));
  EXPECT_EQ(done->state(), v1::KEY_ROTATION_STATE_DONE);
  EXPECT_EQ(done->data_keys_rewrapped(), 5);
  ASSERT_OK_AND_ASSIGN(std::vector<audit::StoredEntry> entries,
                       db_->Read([](store::ReadTxn& txn) {
                         return audit::AuditLog::ReadEntries(txn, 0, 10);
                       }));
  ASSERT_EQ(entries.size(), 1u);
  v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(entries[0].bytes));
  EXPECT_EQ(entry.actor(), "node");
  EXPECT_EQ(entry.method(), KekRewrapJob::kRetireMethod);
  EXPECT_EQ(entry.resource(), "institutions/IEEPCO/keyRotations/2");
  EXPECT_EQ(entry.note(), "kek-destroyed:1");
  // FGEO's ring is untouched, and nothing runs any more.
  EXPECT_OK(job_->RunToCompletion());
}

TEST_F(KekRotationsTest, AKeyLeftOnTheOldVersionMakesTheJobWalkAgain) {
  InsertCase(1);
  // A data key wrapped under version 1 for a case written later, behind
  // the job's back (nothing in the node does this).
  std::string stale;
  const std::string name = api::CaseResourceName("IEEPCO", Folio(9));
  ASSERT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                     directory_->EnvelopeFor(txn, "IEEPCO"));
    ASSIGN_OR_RETURN(crypto::Envelope::NewKey key, envelope->NewDataKey(name));
    stale = key.wrapped;
    return absl::OkStatus();
  }));
  ASSERT_OK(Start(admin_));
  // The walk: cases (one batch), referral copies, notes, registry entries;
  // now at the end.
  for (int step = 0; step < 4; ++step) ASSERT_OK(job_->RunBatch("IEEPCO"));
  InsertCase(9, stale);
  ASSERT_OK_AND_ASSIGN(bool more, job_->RunBatch("IEEPCO"));
  EXPECT_TRUE(more) << "the version was destroyed under a key";
  EXPECT_EQ(KekVersions(), (std::vector<int64_t>{1, 2}));
  EXPECT_OK(job_->RunToCompletion());
  EXPECT_EQ(KekVersions(), std::vector<int64_t>{2});
  std::vector<Key> keys = Keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].version, 2u);
  EXPECT_TRUE(keys[0].opens);
  EXPECT_EQ(keys[1].version, 2u);  // no record was sealed for it
}

// The registry of sanctioned persons seals each person's name under a data
// key of the entry, wrapped by the institution's KEK: the rotation counts
// them, rewraps them, and does not destroy the old version while one is
// left on it.
TEST_F(KekRotationsTest, RegistryEntriesAreRewrappedBeforeTheRetirement) {
  InsertCase(1);
  InsertCase(2);
  for (int seq = 1; seq <= 3; ++seq) {
    InsertRegistryEntry(seq, seq == 3 ? 2 : 1,
                        Seal(EntryName(seq), absl::StrCat("Nombre ", seq)));
  }
  // Wrapped under version 1, stored only once the walk is over (behind the
  // job's back: nothing in the node does this).
  const Sealed stale = Seal(EntryName(4), "Nombre 4");
  ASSERT_OK_AND_ASSIGN(v1::KeyRotation started, Start(admin_));
  EXPECT_EQ(started.data_keys_total(), 5);
  // Cases (a full batch, an empty one), referral copies, notes, registry
  // entries (a full batch, then one); now at the end.
  for (int step = 0; step < 6; ++step) {
    ASSERT_OK_AND_ASSIGN(bool more, job_->RunBatch("IEEPCO"));
    ASSERT_TRUE(more);
  }
  ASSERT_OK_AND_ASSIGN(std::optional<v1::KeyRotation> walked,
                       db_->Read([](store::ReadTxn& txn) {
                         return KekRotations::Progress(txn, "IEEPCO");
                       }));
  EXPECT_EQ(walked->data_keys_rewrapped(), 5);
  InsertRegistryEntry(4, 2, stale);
  ASSERT_OK_AND_ASSIGN(bool more, job_->RunBatch("IEEPCO"));
  EXPECT_TRUE(more) << "the version was destroyed under a registry key";
  EXPECT_EQ(KekVersions(), (std::vector<int64_t>{1, 2}));
  EXPECT_OK(job_->RunToCompletion());
  EXPECT_EQ(KekVersions(), std::vector<int64_t>{2});
  std::vector<Key> keys = Keys();
  ASSERT_EQ(keys.size(), 6u);
  for (const Key& key : keys) {
    EXPECT_EQ(key.version, 2u);
    EXPECT_TRUE(key.opens);
  }
}

}  // namespace
}  // namespace resguardo::admin
