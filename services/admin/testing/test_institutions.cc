#include "services/admin/testing/test_institutions.h"

#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/admin/directory.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::admin::testing {

auth::Principal Caller(std::string institution, std::string user,
                       std::set<v1::Role> roles, bool of_operator) {
  auth::Principal p;
  p.institution = std::move(institution);
  p.user = std::move(user);
  p.roles = std::move(roles);
  p.of_operator = of_operator;
  return p;
}

absl::Status RegisterIeepcoAndFgeo(store::WriteTxn& txn, Directory& directory) {
  RETURN_IF_ERROR(directory.Bootstrap(
      txn, {"IEEPCO", "IEEPCO", v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE, "20"},
      "admin"));
  v1::CreateInstitutionRequest r;
  r.mutable_institution()->set_institution_id("FGEO");
  r.mutable_institution()->set_display_name("Fiscalía");
  r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_PROSECUTOR);
  return directory
      .CreateInstitution(txn, Caller("IEEPCO", "admin", {v1::ROLE_ADMIN}, true),
                         r)
      .status();
}

}  // namespace resguardo::admin::testing
