// The verifiable audit log end to end (issue 5): the real resguardod over
// mTLS, a real SQLCipher file, the real CLI and resguardod subcommands.
//   - checkpoints verify under the key `resguardod audit-key` prints, and
//     proofs served by the node verify with the crypto library and against
//     an independent recomputation from the stored entries;
//   - auditors see their institution's entries, oversight auditors all;
//   - `resguardo audit export` + `resguardo audit verify` accept the real
//     log and name the first bad index of a tampered bundle;
//   - key rotation signs a transition checkpoint with both keys;
//   - the node refuses to start on a log tampered with the database key.
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_provider.h"
#include "crypto/merkle_tree.h"
#include "crypto/signed_note.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOrigin[] = "resguardo.local/audit";
// A canary that must never reach the audit log or any message.
constexpr char kCanary[] = "Canaria Zapoteca";

const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};
const Staff kFgeoAuditor{"FGEO", "fgeo.aud", v1::ROLE_AUDITOR};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kObsAuditor{"OBS", "obs.aud", v1::ROLE_AUDITOR};
const Staff kObsAdmin{"OBS", "obs.admin", v1::ROLE_ADMIN};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

// Sets up a node with IEEPCO (operator), FGEO (prosecutor) and OBS
// (oversight) and their staff.
absl::Status Populate(TestNode& node) {
  return testing::IssueClientCerts(
      node, {&kAuditor, &kAnalyst, &kFgeoAuditor, &kFgeoAdmin, &kObsAuditor,
             &kObsAdmin});
}

absl::Status CreateDirectory(TestNode& node) {
  absl::Status institutions = testing::CreateInstitutions(
      node,
      {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "Institución FGEO", "20"},
       {"OBS", v1::INSTITUTION_KIND_OVERSIGHT, "Institución OBS", "20"}});
  if (!institutions.ok()) return institutions;
  // The operator's admin creates the other institutions' first admins;
  // each admin creates her own institution's staff.
  return testing::CreateUsers(node, {&kAuditor, &kAnalyst, &kFgeoAdmin,
                                     &kObsAdmin, &kFgeoAuditor, &kObsAuditor});
}

std::unique_ptr<v1::AuditService::Stub> Audit(const TestNode& node,
                                              const Staff& s) {
  return v1::AuditService::NewStub(node.Channel(s.institution, s.user));
}

// The vkeys `resguardod audit-key` prints.
std::vector<std::string> PrintedKeys(const TestNode& node) {
  std::string out;
  absl::StatusOr<int> code = TestNode::Run(
      {TestNode::Binary(), "audit-key", "--config", node.ConfigPath()}, &out);
  EXPECT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << out;
  std::vector<std::string> keys;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    std::vector<std::string> words = absl::StrSplit(line, ' ');
    if (words.size() == 6 && words[0] == "generation" && words[4] == "vkey") {
      keys.push_back(words[5]);
    }
  }
  return keys;
}

// A well-formed verifier key that is not the node's.
std::string OtherKey() {
  auto ed =
      crypto::Ed25519Signer::New(crypto::SecretData(std::string(32, 'z')));
  EXPECT_TRUE(ed.ok());
  auto signer = crypto::NoteSigner::New(kOrigin, *std::move(ed));
  EXPECT_TRUE(signer.ok());
  return (*signer)->VerifierKey();
}

std::string CliBinary() {
  return absl::StrCat(std::getenv("RESGUARDO_BIN_DIR"), "/resguardo");
}

// Runs the CLI as `s` against `node`, in English.
int Cli(const TestNode& node, const Staff& s, std::vector<std::string> args,
        std::string* out) {
  return testing::RunCli(node, s, args, out, "en");
}

// Runs the CLI without connection settings (commands that never connect;
// there --key is the verifier key).
int CliLocal(std::vector<std::string> args, std::string* out) {
  std::vector<std::string> argv = {CliBinary(), "--lang", "en"};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<int> code = TestNode::Run(argv, out);
  EXPECT_TRUE(code.ok());
  return code.ok() ? *code : -1;
}

// The records of a bundle file: <varint length><AuditBundleRecord>...
std::vector<v1::AuditBundleRecord> ReadBundle(const std::string& path) {
  const std::string bytes = ReadFile(path);
  const std::string magic = "resguardo-audit-bundle/v1\n";
  EXPECT_EQ(bytes.substr(0, magic.size()), magic);
  std::vector<v1::AuditBundleRecord> records;
  size_t pos = magic.size();
  while (pos < bytes.size()) {
    uint64_t length = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t c = static_cast<uint8_t>(bytes[pos++]);
      length |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) break;
    }
    v1::AuditBundleRecord record;
    EXPECT_TRUE(record.ParseFromString(bytes.substr(pos, length)));
    records.push_back(record);
    pos += length;
  }
  return records;
}

void WriteBundle(const std::string& path,
                 const std::vector<v1::AuditBundleRecord>& records) {
  std::string bytes = "resguardo-audit-bundle/v1\n";
  for (const v1::AuditBundleRecord& record : records) {
    const std::string r = record.SerializeAsString();
    for (uint64_t v = r.size();; v >>= 7) {
      if (v < 0x80) {
        bytes.push_back(static_cast<char>(v));
        break;
      }
      bytes.push_back(static_cast<char>((v & 0x7f) | 0x80));
    }
    bytes += r;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The node's audit signer of `generation`, from its key set: what whoever
// kept a copy of a retired key holds.
std::unique_ptr<crypto::NoteSigner> NodeSigner(const TestNode& node,
                                               uint32_t generation) {
  absl::StatusOr<crypto::KeySet> keys = node.KeySet();
  EXPECT_TRUE(keys.ok()) << keys.status();
  const crypto::SecretData* seed = keys->Find(
      crypto::KeyPurposeLabel(crypto::KeyPurpose::kAuditSigning), generation);
  EXPECT_NE(seed, nullptr);
  auto ed = crypto::Ed25519Signer::New(*seed);
  EXPECT_TRUE(ed.ok());
  auto signer = crypto::NoteSigner::New(kOrigin, *std::move(ed));
  EXPECT_TRUE(signer.ok());
  return *std::move(signer);
}

class AuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    ASSERT_TRUE(Populate(*node_).ok());
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started;
    absl::Status directory = CreateDirectory(*node_);
    ASSERT_TRUE(directory.ok()) << directory;
    // Some traffic: refused calls of each institution's staff too.
    auto fgeo_cases =
        v1::CaseService::NewStub(node_->Channel("FGEO", "fgeo.admin"));
    for (int i = 0; i < 3; ++i) {
      v1::GetCaseRequest r;
      r.set_name(absl::StrCat("institutions/FGEO/cases/FGEO-2026-00000", i));
      v1::Case c;
      fgeo_cases->GetCase(TestNode::Context().get(), r, &c);
    }
    auto cases = v1::CaseService::NewStub(node_->Channel("IEEPCO", "ana"));
    v1::ListCasesRequest list;
    list.set_parent("institutions/IEEPCO");
    v1::ListCasesResponse listed;
    cases->ListCases(TestNode::Context().get(), list, &listed);
  }
  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  // The latest checkpoint after a refresh, opened with the printed key.
  static v1::GetCheckpointResponse Refresh(const Staff& s = kObsAuditor) {
    v1::GetCheckpointRequest r;
    r.set_refresh(true);
    v1::GetCheckpointResponse out;
    grpc::Status st =
        Audit(*node_, s)->GetCheckpoint(TestNode::Context().get(), r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  static TestNode* node_;
};
TestNode* AuditTest::node_ = nullptr;

TEST_F(AuditTest, CheckpointVerifiesUnderThePrintedKeyAndMatchesTheEntries) {
  const std::vector<std::string> keys = PrintedKeys(*node_);
  ASSERT_EQ(keys.size(), 1u);
  v1::GetCheckpointResponse cp = Refresh();
  ASSERT_EQ(cp.keys_size(), 1);
  EXPECT_EQ(cp.keys(0).verifier_key(), keys[0]);
  EXPECT_EQ(cp.origin(), kOrigin);
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       crypto::NoteVerifier::FromVerifierKey(keys[0]));
  const crypto::NoteVerifier* known[] = {verifier.get()};
  ASSERT_OK_AND_ASSIGN(
      crypto::Checkpoint opened,
      crypto::OpenCheckpoint(cp.checkpoint().note(), known, kOrigin));
  EXPECT_EQ(opened.size, cp.checkpoint().tree_size());

  // Independent recomputation from the stored entries' bytes.
  ASSERT_OK_AND_ASSIGN(TestNode::AuditLogSnapshot log, node_->ReadAuditLog());
  ASSERT_GE(log.entries.size(), opened.size);
  crypto::MerkleTree tree;
  for (uint64_t i = 0; i < opened.size; ++i) {
    ASSERT_OK(tree.Append(crypto::HashLeaf(log.entries[i].bytes)));
  }
  EXPECT_EQ(tree.Root(), opened.root_hash);

  // A forged note (the root changed) does not open.
  std::string forged = cp.checkpoint().note();
  const size_t root_line = forged.find('\n', forged.find('\n') + 1) + 1;
  forged[root_line] = forged[root_line] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(crypto::OpenCheckpoint(forged, known, kOrigin).ok());
}

TEST_F(AuditTest, ProofsVerifyWithTheCryptoLibraryAndTheRecomputedTree) {
  v1::GetCheckpointResponse first = Refresh();
  const uint64_t size1 = first.checkpoint().tree_size();
  v1::GetCheckpointResponse second = Refresh();
  const uint64_t size2 = second.checkpoint().tree_size();
  ASSERT_GT(size2, size1);
  ASSERT_OK_AND_ASSIGN(auto verifier, crypto::NoteVerifier::FromVerifierKey(
                                          second.keys(0).verifier_key()));
  const crypto::NoteVerifier* known[] = {verifier.get()};
  ASSERT_OK_AND_ASSIGN(
      crypto::Checkpoint c1,
      crypto::OpenCheckpoint(first.checkpoint().note(), known, kOrigin));
  ASSERT_OK_AND_ASSIGN(
      crypto::Checkpoint c2,
      crypto::OpenCheckpoint(second.checkpoint().note(), known, kOrigin));
  ASSERT_OK_AND_ASSIGN(TestNode::AuditLogSnapshot log, node_->ReadAuditLog());
  crypto::MerkleTree tree;
  for (uint64_t i = 0; i < size2; ++i) {
    ASSERT_OK(tree.Append(crypto::HashLeaf(log.entries[i].bytes)));
  }
  auto audit = Audit(*node_, kObsAuditor);
  for (uint64_t index : {uint64_t{0}, size1 / 2, size1 - 1, size2 - 1}) {
    v1::GetInclusionProofRequest r;
    r.set_index(index);
    r.set_tree_size(size2);
    v1::GetInclusionProofResponse proof;
    grpc::Status st =
        audit->GetInclusionProof(TestNode::Context().get(), r, &proof);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(proof.entry_bytes(), log.entries[index].bytes);
    std::vector<std::string> hashes(proof.hashes().begin(),
                                    proof.hashes().end());
    EXPECT_OK(crypto::VerifyInclusion(crypto::HashLeaf(proof.entry_bytes()),
                                      index, size2, hashes, c2.root_hash))
        << index;
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> expected,
                         tree.InclusionProof(index, size2));
    EXPECT_EQ(hashes, expected) << index;
  }
  v1::GetConsistencyProofRequest cr;
  cr.set_old_size(size1);
  cr.set_new_size(size2);
  v1::GetConsistencyProofResponse consistency;
  grpc::Status st =
      audit->GetConsistencyProof(TestNode::Context().get(), cr, &consistency);
  ASSERT_TRUE(st.ok()) << st.error_message();
  std::vector<std::string> hashes(consistency.hashes().begin(),
                                  consistency.hashes().end());
  EXPECT_OK(crypto::VerifyConsistency(size1, size2, hashes, c1.root_hash,
                                      c2.root_hash));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> expected,
                       tree.ConsistencyProof(size1, size2));
  EXPECT_EQ(hashes, expected);
}

TEST_F(AuditTest, BadProofRequestsNameTheField) {
  auto audit = Audit(*node_, kObsAuditor);
  v1::GetInclusionProofRequest r;
  r.set_index(5);
  r.set_tree_size(5);
  v1::GetInclusionProofResponse proof;
  grpc::Status st =
      audit->GetInclusionProof(TestNode::Context().get(), r, &proof);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(st), Contains("tree_size"));
  r.set_index(1);
  r.set_tree_size(1u << 30);
  st = audit->GetInclusionProof(TestNode::Context().get(), r, &proof);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  v1::GetConsistencyProofRequest cr;
  cr.set_old_size(0);
  cr.set_new_size(3);
  v1::GetConsistencyProofResponse consistency;
  st = audit->GetConsistencyProof(TestNode::Context().get(), cr, &consistency);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(st), Contains("old_size"));
  v1::ListEntriesRequest lr;
  lr.set_page_size(-1);
  v1::ListEntriesResponse listed;
  st = audit->ListEntries(TestNode::Context().get(), lr, &listed);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(st), Contains("page_size"));
  // Above the maximum: coerced to 1000 (AIP-158), not refused.
  lr.set_page_size(5000);
  st = audit->ListEntries(TestNode::Context().get(), lr, &listed);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST_F(AuditTest, OnlyAuditorsReachTheLog) {
  auto analyst = Audit(*node_, kAnalyst);
  v1::GetCheckpointResponse cp;
  grpc::Status st = analyst->GetCheckpoint(TestNode::Context().get(),
                                           v1::GetCheckpointRequest(), &cp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // ... and the refusal is itself in the log.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> entries,
                       node_->AuditEntries());
  bool found = false;
  for (const v1::AuditEntry& e : entries) {
    found |= e.actor() == "institutions/IEEPCO/users/ana" &&
             e.method() == "/resguardo.v1.AuditService/GetCheckpoint" &&
             e.outcome() == grpc::StatusCode::PERMISSION_DENIED;
  }
  EXPECT_TRUE(found);
}

TEST_F(AuditTest, AuditorsSeeTheirInstitutionAndOversightSeesAll) {
  auto list_all = [](const Staff& s) {
    auto audit = Audit(*node_, s);
    v1::ListEntriesRequest r;
    r.set_page_size(7);
    std::vector<v1::AuditEntry> out;
    while (true) {
      v1::ListEntriesResponse page;
      grpc::Status st = audit->ListEntries(TestNode::Context().get(), r, &page);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      for (const auto& e : page.entries()) {
        out.push_back(e.entry());
        v1::AuditEntry parsed;
        EXPECT_TRUE(parsed.ParseFromString(e.entry_bytes()));
        EXPECT_EQ(parsed.index(), e.entry().index());
      }
      if (page.next_page_token().empty()) break;
      r.set_page_token(page.next_page_token());
    }
    return out;
  };
  const std::vector<v1::AuditEntry> fgeo = list_all(kFgeoAuditor);
  const std::vector<v1::AuditEntry> ieepco = list_all(kAuditor);
  const std::vector<v1::AuditEntry> all = list_all(kObsAuditor);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::AuditEntry> stored,
                       node_->AuditEntries());
  EXPECT_GE(all.size(), stored.size() - 2);  // its own calls may follow
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].index(), i);
  ASSERT_FALSE(fgeo.empty());
  for (const v1::AuditEntry& e : fgeo) {
    EXPECT_TRUE(e.institution() == "FGEO" ||
                absl::StartsWith(e.resource(), "institutions/FGEO"))
        << e.ShortDebugString();
  }
  bool fgeo_case_read = false;
  for (const v1::AuditEntry& e : fgeo) {
    fgeo_case_read |= e.method() == "/resguardo.v1.CaseService/GetCase";
  }
  EXPECT_TRUE(fgeo_case_read);
  for (const v1::AuditEntry& e : ieepco) {
    EXPECT_NE(e.institution(), "FGEO");
    EXPECT_NE(e.institution(), "OBS");
  }
  // An entry of another institution is NOT_FOUND, as a missing one.
  uint64_t fgeo_only = 0;
  for (const v1::AuditEntry& e : fgeo) {
    if (e.institution() == "FGEO") {
      fgeo_only = e.index();
      break;
    }
  }
  ASSERT_GT(fgeo_only, 0u);
  v1::GetInclusionProofRequest r;
  r.set_index(fgeo_only);
  r.set_tree_size(fgeo_only + 1);
  v1::GetInclusionProofResponse proof;
  grpc::Status st =
      Audit(*node_, kAuditor)
          ->GetInclusionProof(TestNode::Context().get(), r, &proof);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  // Filters.
  auto audit = Audit(*node_, kObsAuditor);
  v1::ListEntriesRequest filtered;
  filtered.set_method("/resguardo.v1.CaseService/GetCase");
  filtered.set_has_outcome(true);
  filtered.set_outcome(grpc::StatusCode::PERMISSION_DENIED);
  v1::ListEntriesResponse page;
  st = audit->ListEntries(TestNode::Context().get(), filtered, &page);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(page.entries_size(), 3);
  for (const auto& e : page.entries()) {
    EXPECT_EQ(e.entry().actor(), "institutions/FGEO/users/fgeo.admin");
  }
  // A filter naming another institution narrows her view, never widens it:
  // IEEPCO's auditor asking for FGEO's entries gets none of FGEO's own.
  v1::ListEntriesRequest other;
  other.set_institution("FGEO");
  other.set_page_size(1000);
  v1::ListEntriesResponse others;
  st = Audit(*node_, kAuditor)
           ->ListEntries(TestNode::Context().get(), other, &others);
  ASSERT_TRUE(st.ok()) << st.error_message();
  for (const auto& e : others.entries()) {
    EXPECT_TRUE(
        absl::StartsWith(e.entry().resource(), "institutions/IEEPCO/") ||
        e.entry().resource() == "institutions/IEEPCO")
        << e.entry().ShortDebugString();
  }
  // Only oversight auditors export the whole log.
  v1::ExportLogResponse exported;
  st = Audit(*node_, kAuditor)
           ->ExportLog(TestNode::Context().get(), v1::ExportLogRequest(),
                       &exported);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuditTest, CliExportsABundleThatVerifiesAndNamesTheFirstBadIndex) {
  const std::vector<std::string> keys = PrintedKeys(*node_);
  ASSERT_EQ(keys.size(), 1u);
  // A checkpoint at every size for a while: each refresh covers the
  // previous call's entry.
  for (int i = 0; i < 12; ++i) Refresh();
  const std::string bundle = absl::StrCat(node_->dir(), "/log.bundle");
  std::string out;
  ASSERT_EQ(
      Cli(*node_, kObsAuditor, {"audit", "export", "--out", bundle}, &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr("Bundle written"));
  ASSERT_EQ(CliLocal({"audit", "verify", bundle, "--key", keys[0]}, &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr("The bundle verifies"));

  // An independent verifier written from docs/audit-log-format.md alone
  // (Python, no protobuf library) agrees.
  const std::string python_verifier = absl::StrCat(
      std::getenv("RESGUARDO_SOURCE_DIR"), "/docs/verify_bundle.py");
  ASSERT_OK_AND_ASSIGN(int py, TestNode::Run({"/usr/bin/python3",
                                              python_verifier, bundle, keys[0]},
                                             &out));
  EXPECT_EQ(py, 0) << out;
  EXPECT_THAT(out, HasSubstr("OK entries="));

  // The key as a file: the output of `resguardod audit-key`.
  std::string key_out;
  ASSERT_EQ(*TestNode::Run({TestNode::Binary(), "audit-key", "--config",
                            node_->ConfigPath()},
                           &key_out),
            0);
  const std::string key_file = absl::StrCat(node_->dir(), "/node.vkeys");
  std::ofstream(key_file) << key_out;
  EXPECT_EQ(
      CliLocal({"audit", "verify", bundle, "--vkey", key_file, "--json"}, &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"verified\":true"));

  // Another key: nothing verifies.
  EXPECT_EQ(CliLocal({"audit", "verify", bundle, "--key", OtherKey()}, &out), 9)
      << out;

  // One byte changed in an entry near the end (covered by checkpoints at
  // every size): the CLI names its index and exits 9.
  ASSERT_OK_AND_ASSIGN(TestNode::AuditLogSnapshot log, node_->ReadAuditLog());
  std::string bytes = ReadFile(bundle);
  // A refresh's entry well inside the bundle, between two checkpoints one
  // entry apart; flip the last byte of its request id.
  uint64_t target_index = 0;
  for (size_t i = log.entries.size(); i-- > 0;) {
    v1::AuditEntry e;
    ASSERT_TRUE(e.ParseFromString(log.entries[i].bytes));
    if (e.method() == "/resguardo.v1.AuditService/GetCheckpoint" &&
        i + 3 < log.entries.size()) {
      target_index = i;
      break;
    }
  }
  const size_t at = bytes.find(log.entries[target_index].bytes);
  ASSERT_NE(at, std::string::npos);
  std::string tampered = bytes;
  tampered[at + log.entries[target_index].bytes.size() - 1] ^= 0x01;
  const std::string bad = absl::StrCat(node_->dir(), "/bad.bundle");
  std::ofstream(bad, std::ios::binary) << tampered;
  EXPECT_EQ(CliLocal({"audit", "verify", bad, "--key", keys[0]}, &out), 9)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("First bad index: ", target_index)));
  ASSERT_OK_AND_ASSIGN(
      py,
      TestNode::Run({"/usr/bin/python3", python_verifier, bad, keys[0]}, &out));
  EXPECT_EQ(py, 1) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("first bad index ", target_index)));

  // An entry removed: the next entry is out of place.
  std::string removed = bytes;
  {
    // Records are <varint length><AuditBundleRecord>; an entry record is
    // 0x1a <varint size> <entry bytes> (lengths below 16384 here).
    const size_t entry_size = log.entries[target_index].bytes.size();
    ASSERT_LT(entry_size, 16000u);
    const size_t inner = entry_size < 128 ? 1 : 2;
    const size_t record = 1 + inner + entry_size;
    const size_t outer = record < 128 ? 1 : 2;
    const size_t start = at - inner - 1 - outer;
    ASSERT_EQ(static_cast<uint8_t>(bytes[start + outer]), 0x1a);
    removed.erase(start, outer + record);
  }
  std::ofstream(bad, std::ios::binary | std::ios::trunc) << removed;
  EXPECT_EQ(CliLocal({"audit", "verify", bad, "--key", keys[0]}, &out), 9)
      << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("First bad index: ", target_index)));
  EXPECT_THAT(out, Not(HasSubstr(kCanary)));
}

// Issue 13, item 10: the identity an unknown user's certificate claims is
// recorded, and shown, as unverified.
TEST_F(AuditTest, CliMarksTheClaimedIdentityOfAnUnknownUser) {
  ASSERT_OK(node_->IssueClientCert("IEEPCO", "ghost"));
  auto cases = v1::CaseService::NewStub(node_->Channel("IEEPCO", "ghost"));
  v1::ListCasesRequest request;
  request.set_parent("institutions/IEEPCO");
  v1::ListCasesResponse response;
  EXPECT_EQ(cases->ListCases(TestNode::Context().get(), request, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  std::string out;
  ASSERT_EQ(
      Cli(*node_, kObsAuditor,
          {"audit", "entries", "--actor", "institutions/IEEPCO/users/ghost"},
          &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("institutions/IEEPCO/users/ghost (unverified)"));
  ASSERT_EQ(Cli(*node_, kObsAuditor,
                {"audit", "entries", "--actor",
                 "institutions/OBS/users/obs.aud", "--page-size", "3"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, Not(HasSubstr("(unverified)")));
}

TEST_F(AuditTest, CliProvesAnEntryAgainstAVerifiedCheckpoint) {
  const std::vector<std::string> keys = PrintedKeys(*node_);
  std::string out;
  EXPECT_EQ(Cli(*node_, kObsAuditor, {"audit", "prove", "2", "--vkey", keys[0]},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Entry 2 is included"));
  EXPECT_EQ(Cli(*node_, kObsAuditor,
                {"audit", "prove", "2", "--vkey", OtherKey()}, &out),
            9)
      << out;
  // Checkpoint and entries commands answer as tables.
  EXPECT_EQ(Cli(*node_, kObsAuditor, {"audit", "checkpoint"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(kOrigin));
  EXPECT_EQ(
      Cli(*node_, kFgeoAuditor, {"audit", "entries", "--page-size", "5"}, &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("fgeo"));
}

// Its own node: it is stopped, rotated, tampered with and refused.
TEST(AuditTamperTest, RotationThenTamperingStopsTheNode) {
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  ASSERT_TRUE(Populate(node).ok());
  ASSERT_TRUE(node.Start().ok());
  absl::Status directory = CreateDirectory(node);
  ASSERT_TRUE(directory.ok()) << directory;
  auto audit = Audit(node, kObsAuditor);
  v1::GetCheckpointRequest refresh;
  refresh.set_refresh(true);
  for (int i = 0; i < 10; ++i) {
    v1::GetCheckpointResponse cp;
    ASSERT_TRUE(
        audit->GetCheckpoint(TestNode::Context().get(), refresh, &cp).ok());
  }
  const std::vector<std::string> old_keys = PrintedKeys(node);
  ASSERT_EQ(old_keys.size(), 1u);
  ASSERT_OK_AND_ASSIGN(int stopped, node.Stop());
  ASSERT_EQ(stopped, 0);

  // Rotation: a transition checkpoint signed by both keys.
  std::string out;
  ASSERT_EQ(*TestNode::Run({TestNode::Binary(), "rotate-audit-key", "--config",
                            node.ConfigPath()},
                           &out),
            0)
      << out;
  const std::vector<std::string> keys = PrintedKeys(node);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], old_keys[0]);
  ASSERT_TRUE(node.Start().ok());
  audit = Audit(node, kObsAuditor);
  v1::GetCheckpointResponse after;
  ASSERT_TRUE(
      audit->GetCheckpoint(TestNode::Context().get(), refresh, &after).ok());
  EXPECT_EQ(after.checkpoint().key_generation(), 2u);
  // The exported bundle verifies with the OLD key alone: the transition
  // checkpoint introduces the new one.
  const std::string bundle = absl::StrCat(node.dir(), "/rotated.bundle");
  ASSERT_EQ(Cli(node, kObsAuditor, {"audit", "export", "--out", bundle}, &out),
            0)
      << out;
  EXPECT_EQ(CliLocal({"audit", "verify", bundle, "--key", old_keys[0]}, &out),
            0)
      << out;

  // After the rotation the old key no longer signs: a checkpoint of the
  // real entries that the old key alone signed is refused, although the old
  // key is the one the auditor trusts.
  std::vector<v1::AuditBundleRecord> records = ReadBundle(bundle);
  size_t transition = 0;
  size_t last_checkpoint = 0;
  crypto::MerkleTree tree;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].has_checkpoint()) {
      last_checkpoint = i;
      if (absl::StrContains(records[i].checkpoint().note(),
                            "resguardo-key-rotation ")) {
        transition = i;
      }
    }
    if (records[i].has_entry()) {
      ASSERT_OK(tree.Append(crypto::HashLeaf(records[i].entry())));
    }
  }
  // (The transition may be the last checkpoint: a refresh with no new
  // entry signs nothing new.)
  ASSERT_GT(transition, 0u);
  ASSERT_GE(last_checkpoint, transition);
  const uint64_t transition_seq = records[transition].checkpoint().seq();
  {
    std::unique_ptr<crypto::NoteSigner> retired = NodeSigner(node, 1);
    crypto::Checkpoint cp{kOrigin, tree.size(), tree.Root(), {}};
    const crypto::NoteSigner* signers[] = {retired.get()};
    ASSERT_OK_AND_ASSIGN(std::string note, crypto::SignCheckpoint(cp, signers));
    v1::AuditBundleRecord forged;
    forged.mutable_checkpoint()->set_seq(
        records[last_checkpoint].checkpoint().seq() + 1);
    forged.mutable_checkpoint()->set_tree_size(tree.size());
    forged.mutable_checkpoint()->set_note(note);
    forged.mutable_checkpoint()->set_key_generation(1);
    std::vector<v1::AuditBundleRecord> with_old = records;
    with_old.insert(with_old.begin() + last_checkpoint + 1, forged);
    const std::string path = absl::StrCat(node.dir(), "/old-key.bundle");
    WriteBundle(path, with_old);
    EXPECT_EQ(CliLocal({"audit", "verify", path, "--key", old_keys[0]}, &out),
              9)
        << out;
    EXPECT_THAT(out, HasSubstr(absl::StrCat(
                         "not signed by the audit key that checkpoint ",
                         transition_seq, " introduced")));
    // Both keys given: the same.
    EXPECT_EQ(CliLocal({"audit", "verify", path, "--vkey", keys[0], "--vkey",
                        keys[1]},
                       &out),
              9)
        << out;
    // The independent verifier of docs/ agrees.
    ASSERT_OK_AND_ASSIGN(
        int py, TestNode::Run({"/usr/bin/python3",
                               absl::StrCat(std::getenv("RESGUARDO_SOURCE_DIR"),
                                            "/docs/verify_bundle.py"),
                               path, old_keys[0]},
                              &out));
    EXPECT_EQ(py, 1) << out;
    EXPECT_THAT(out, HasSubstr("not signed by the key its rotation"));
  }
  // The transition checkpoint without the new key's signature (or with a
  // bad one) introduces nothing.
  {
    const std::string note = records[transition].checkpoint().note();
    // Signature lines in signing order: the old key's, then the new key's.
    const size_t last_line = note.rfind('\n', note.size() - 2) + 1;
    std::vector<v1::AuditBundleRecord> stripped = records;
    stripped[transition].mutable_checkpoint()->set_note(
        note.substr(0, last_line));
    const std::string path = absl::StrCat(node.dir(), "/unsigned.bundle");
    WriteBundle(path, stripped);
    EXPECT_EQ(CliLocal({"audit", "verify", path, "--key", old_keys[0]}, &out),
              9)
        << out;
    EXPECT_THAT(out, HasSubstr("not signed by the key it introduces"));

    std::string bad_signature = note;
    // A character inside the signature (the key id is its first 4 bytes).
    char& c = bad_signature[note.size() - 10];
    c = c == 'A' ? 'B' : 'A';
    std::vector<v1::AuditBundleRecord> altered = records;
    altered[transition].mutable_checkpoint()->set_note(bad_signature);
    WriteBundle(path, altered);
    EXPECT_EQ(CliLocal({"audit", "verify", path, "--key", old_keys[0]}, &out),
              9)
        << out;
    EXPECT_THAT(out, HasSubstr("not signed by the key it introduces"));
  }
  ASSERT_OK_AND_ASSIGN(stopped, node.Stop());
  ASSERT_EQ(stopped, 0);

  // The attacker holds the file and its key: drops the guard and rewrites
  // entry 4 with a consistent leaf hash.
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         node.OpenDatabase());
    ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      RETURN_IF_ERROR(txn.Execute("DROP TRIGGER audit_entries_no_update"));
      ASSIGN_OR_RETURN(store::Statement read,
                       txn.Prepare("SELECT entry FROM audit_entries WHERE "
                                   "idx = 4"));
      ASSIGN_OR_RETURN(bool row, read.Step());
      if (!row) return absl::NotFoundError("entry 4");
      ASSIGN_OR_RETURN(absl::string_view old_bytes, read.ColumnBlob(0));
      v1::AuditEntry e;
      if (!e.ParseFromString(std::string(old_bytes))) {
        return absl::DataLossError("parse");
      }
      e.set_actor(absl::StrCat("institutions/IEEPCO/users/", "x"));
      e.set_note(kCanary);
      const std::string bytes = e.SerializeAsString();
      ASSIGN_OR_RETURN(store::Statement update,
                       txn.Prepare("UPDATE audit_entries SET entry = ?1, "
                                   "leaf_hash = ?2 WHERE idx = 4"));
      RETURN_IF_ERROR(update.BindBlob(1, bytes));
      RETURN_IF_ERROR(update.BindBlob(2, crypto::HashLeaf(bytes)));
      return update.Run();
    }));
    ASSERT_OK(db->Close());
  }
  absl::Status refused = node.Start();
  EXPECT_FALSE(refused.ok());
  const std::string log = node.LogText();
  EXPECT_THAT(log, HasSubstr("refusing to start"));
  EXPECT_THAT(log, HasSubstr("audit log"));
  EXPECT_THAT(log, HasSubstr("first bad index"));
  EXPECT_THAT(log, Not(HasSubstr(kCanary)));

  // A naive edit (a stored leaf hash that is not its entry's) is named
  // exactly.
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         node.OpenDatabase());
    ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      return txn.Execute(
          "UPDATE audit_entries SET leaf_hash = zeroblob(32) WHERE idx = 2");
    }));
    ASSERT_OK(db->Close());
  }
  EXPECT_FALSE(node.Start().ok());
  EXPECT_THAT(node.LogText(), HasSubstr("first bad index 2"));
}

}  // namespace
}  // namespace resguardo
