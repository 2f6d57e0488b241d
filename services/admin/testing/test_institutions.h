// Test only: the principals and the two institutions that the unit tests of
// the stores built on the Directory (cases, referrals, the deadline monitor)
// start from.
#ifndef RESGUARDO_SERVICES_ADMIN_TESTING_TEST_INSTITUTIONS_H_
#define RESGUARDO_SERVICES_ADMIN_TESTING_TEST_INSTITUTIONS_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/admin/directory.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::admin::testing {

// `user` of `institution` with `roles`, as the authenticator makes her
// (`of_operator` when `institution` is the node's operator).
auth::Principal Caller(std::string institution, std::string user,
                       std::set<v1::Role> roles, bool of_operator = false);

// Bootstraps IEEPCO (the operator: an electoral institute of state 20, its
// admin "admin") and has that admin register FGEO (a prosecutor).
absl::Status RegisterIeepcoAndFgeo(store::WriteTxn& txn, Directory& directory);

}  // namespace resguardo::admin::testing

#endif  // RESGUARDO_SERVICES_ADMIN_TESTING_TEST_INSTITUTIONS_H_
