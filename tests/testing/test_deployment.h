// The people and institutions of a test deployment on a TestNode: who is
// who, their client certificates, the institutions the operator registers
// and the users their admins create. The integration tests describe their
// staff with Staff and set it up with these calls, in the order a real
// deployment would: certificates, start, institutions, users.
//
// Thread safety: as TestNode (not thread-safe; call from the test's thread).
#ifndef RESGUARDO_TESTS_TESTING_TEST_DEPLOYMENT_H_
#define RESGUARDO_TESTS_TESTING_TEST_DEPLOYMENT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/type/date.pb.h"
#include "grpcpp/support/status.h"
#include "resguardo/v1/admin_service.pb.h"
#include "resguardo/v1/audit.pb.h"
#include "tests/testing/test_node.h"

namespace resguardo::testing {

// A user of the deployment: her institution, her id and her one role.
struct Staff {
  std::string institution;
  std::string user;
  v1::Role role;
};

// An institution the operator's admin registers.
struct InstitutionSpec {
  std::string id;
  v1::InstitutionKind kind;
  std::string display_name;
  // Left unset when empty.
  std::string state_code;
};

// Issues a client certificate of the deployment's CA for each of `staff`.
absl::Status IssueClientCerts(TestNode& node,
                              absl::Span<const Staff* const> staff);

// Registers each institution, in order, as the operator's admin (kOperator,
// kOperatorAdmin). The node must be started.
absl::Status CreateInstitutions(TestNode& node,
                                absl::Span<const InstitutionSpec> institutions);

// Creates `staff`'s user (her one role) as `creator`; `out`, if not null,
// receives the created user.
grpc::Status CreateUser(const TestNode& node, const Staff& creator,
                        const Staff& staff, v1::User* out = nullptr);

// Sets up the deployment as a test suite does before its tests: issues a
// certificate for each of `staff` (IssueClientCerts), starts `node`,
// registers `institutions` (CreateInstitutions) and creates the users of
// `staff` in order (CreateUsers: an institution's admin before her staff).
absl::Status StartDeployment(TestNode& node,
                             absl::Span<const Staff* const> staff,
                             absl::Span<const InstitutionSpec> institutions);

// Who creates `staff`'s user: the operator's admin for the operator's staff
// and for every institution's admin; for anyone else, her institution's
// admin, the first Staff with ROLE_ADMIN of that institution in `everyone`
// (null if there is none).
const Staff* CreatorOf(const Staff& staff,
                       absl::Span<const Staff* const> everyone);

// Creates the users of `staff`, in order, each by CreatorOf(s, staff). The
// error names the user and the node's message.
absl::Status CreateUsers(const TestNode& node,
                         absl::Span<const Staff* const> staff);

// The command line of the real CLI (RESGUARDO_BIN_DIR/resguardo) as the
// user `institution`/`user` of `node`, in `lang`: her certificate, the
// node's address and CA, her institution; the command goes after it.
std::vector<std::string> CliCommand(const TestNode& node,
                                    absl::string_view institution,
                                    absl::string_view user,
                                    absl::string_view lang);

// The audit entries of the calls with `request_id` (a test failure if the
// log cannot be read).
std::vector<v1::AuditEntry> AuditEntriesOf(const TestNode& node,
                                           absl::string_view request_id);

// 16 random hex digits, for request ids and names.
std::string RandomHex();

// The UTC date `days` days before today.
google::type::Date DaysAgo(int days);

// Runs the real `resguardo` CLI as `staff` against `node` (CliCommand), in
// `lang`, with `args`; stdout and stderr into `out`. Returns the exit code
// (-1, and a test failure, if it could not run).
int RunCli(const TestNode& node, const Staff& staff,
           const std::vector<std::string>& args, std::string* out,
           absl::string_view lang = "es");

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_TEST_DEPLOYMENT_H_
