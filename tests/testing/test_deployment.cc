#include "tests/testing/test_deployment.h"

#include <cstdint>
#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"

namespace resguardo::testing {

absl::Status IssueClientCerts(TestNode& node,
                              absl::Span<const Staff* const> staff) {
  for (const Staff* s : staff) {
    if (absl::Status st = node.IssueClientCert(s->institution, s->user);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status CreateInstitutions(
    TestNode& node, absl::Span<const InstitutionSpec> institutions) {
  auto admin =
      v1::AdminService::NewStub(node.Channel(kOperator, kOperatorAdmin));
  for (const InstitutionSpec& spec : institutions) {
    v1::CreateInstitutionRequest request;
    request.mutable_institution()->set_institution_id(spec.id);
    request.mutable_institution()->set_display_name(spec.display_name);
    request.mutable_institution()->set_kind(spec.kind);
    if (!spec.state_code.empty()) {
      request.mutable_institution()->set_state_code(spec.state_code);
    }
    v1::Institution created;
    grpc::Status s =
        admin->CreateInstitution(TestNode::Context().get(), request, &created);
    if (!s.ok()) {
      return absl::InternalError(
          absl::StrCat("institution ", spec.id, ": ", s.error_message()));
    }
  }
  return absl::OkStatus();
}

grpc::Status CreateUser(const TestNode& node, const Staff& creator,
                        const Staff& staff, v1::User* out) {
  v1::CreateUserRequest request;
  request.set_parent(absl::StrCat("institutions/", staff.institution));
  request.mutable_user()->set_user_id(staff.user);
  request.mutable_user()->add_roles(staff.role);
  v1::User user;
  grpc::Status s =
      v1::AdminService::NewStub(node.Channel(creator.institution, creator.user))
          ->CreateUser(TestNode::Context().get(), request, &user);
  if (out != nullptr) *out = user;
  return s;
}

const Staff* CreatorOf(const Staff& staff,
                       absl::Span<const Staff* const> everyone) {
  static const Staff kOperatorsAdmin{kOperator, kOperatorAdmin, v1::ROLE_ADMIN};
  if (staff.institution == kOperator || staff.role == v1::ROLE_ADMIN) {
    return &kOperatorsAdmin;
  }
  for (const Staff* s : everyone) {
    if (s->institution == staff.institution && s->role == v1::ROLE_ADMIN) {
      return s;
    }
  }
  return nullptr;
}

absl::Status CreateUsers(const TestNode& node,
                         absl::Span<const Staff* const> staff) {
  for (const Staff* s : staff) {
    const Staff* creator = CreatorOf(*s, staff);
    if (creator == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat(s->user, ": no admin of ", s->institution));
    }
    grpc::Status st = CreateUser(node, *creator, *s);
    if (!st.ok()) {
      return absl::InternalError(
          absl::StrCat(s->user, ": ", st.error_message()));
    }
  }
  return absl::OkStatus();
}

absl::Status StartDeployment(TestNode& node,
                             absl::Span<const Staff* const> staff,
                             absl::Span<const InstitutionSpec> institutions) {
  if (absl::Status certs = IssueClientCerts(node, staff); !certs.ok()) {
    return certs;
  }
  if (absl::Status started = node.Start(); !started.ok()) return started;
  if (absl::Status created = CreateInstitutions(node, institutions);
      !created.ok()) {
    return created;
  }
  return CreateUsers(node, staff);
}

std::vector<std::string> CliCommand(const TestNode& node,
                                    absl::string_view institution,
                                    absl::string_view user,
                                    absl::string_view lang) {
  const std::string base =
      absl::StrCat(node.dir(), "/pki/clients/", institution, "/", user);
  return {absl::StrCat(std::getenv("RESGUARDO_BIN_DIR"), "/resguardo"),
          "--lang",
          std::string(lang),
          "--server",
          absl::StrCat("127.0.0.1:", node.port()),
          "--ca",
          absl::StrCat(node.dir(), "/pki/ca.crt"),
          "--cert",
          base + ".crt",
          "--key",
          base + ".key",
          "--institution",
          std::string(institution)};
}

std::vector<v1::AuditEntry> AuditEntriesOf(const TestNode& node,
                                           absl::string_view request_id) {
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = node.AuditEntries();
  EXPECT_TRUE(entries.ok()) << entries.status();
  std::vector<v1::AuditEntry> out;
  if (!entries.ok()) return out;
  for (const v1::AuditEntry& e : *entries) {
    if (e.request_id() == request_id) out.push_back(e);
  }
  return out;
}

std::string RandomHex() {
  absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

google::type::Date DaysAgo(int days) {
  absl::CivilDay day =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days;
  google::type::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

int RunCli(const TestNode& node, const Staff& staff,
           const std::vector<std::string>& args, std::string* out,
           absl::string_view lang) {
  std::vector<std::string> argv =
      CliCommand(node, staff.institution, staff.user, lang);
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<int> code = TestNode::Run(argv, out);
  EXPECT_TRUE(code.ok()) << code.status();
  return code.ok() ? *code : -1;
}

}  // namespace resguardo::testing
