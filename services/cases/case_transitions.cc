#include "services/cases/case_transitions.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/error_catalogue.h"

namespace resguardo::cases {
namespace {

using Table = std::map<v1::CaseStatus, std::set<v1::CaseStatus>>;

// The shorter route, shared by both kinds.
const Table& CommonRoute() {
  static const Table* table = new Table{
      {v1::CASE_STATUS_RECEIVED,
       {v1::CASE_STATUS_PENDING_RATIFICATION, v1::CASE_STATUS_FIRST_CONTACT}},
      {v1::CASE_STATUS_PENDING_RATIFICATION, {v1::CASE_STATUS_FIRST_CONTACT}},
  };
  return *table;
}

// The special sanctioning procedure (DOMAIN.md), after first contact.
const Table& PoliticalViolenceRoute() {
  static const Table* table = new Table{
      {v1::CASE_STATUS_FIRST_CONTACT, {v1::CASE_STATUS_ADMISSIBILITY}},
      {v1::CASE_STATUS_ADMISSIBILITY,
       {v1::CASE_STATUS_DISMISSED, v1::CASE_STATUS_REROUTED,
        v1::CASE_STATUS_ADMITTED}},
      {v1::CASE_STATUS_ADMITTED, {v1::CASE_STATUS_INVESTIGATION}},
      {v1::CASE_STATUS_INVESTIGATION, {v1::CASE_STATUS_SENT_TO_COURT}},
      {v1::CASE_STATUS_SENT_TO_COURT, {v1::CASE_STATUS_RESOLVED}},
      {v1::CASE_STATUS_RESOLVED,
       {v1::CASE_STATUS_APPEALED, v1::CASE_STATUS_FINAL}},
      // An appeal confirms (final) or sends the case back for a new
      // resolution.
      {v1::CASE_STATUS_APPEALED,
       {v1::CASE_STATUS_RESOLVED, v1::CASE_STATUS_FINAL}},
      {v1::CASE_STATUS_FINAL,
       {v1::CASE_STATUS_REGISTERED, v1::CASE_STATUS_COMPLIANCE_MONITORING}},
      // A case stays REGISTERED while any of its registry entries is in
      // force; the node moves it to DELISTED when the last one ends
      // (issue 19), and only then may it go on to compliance monitoring.
      {v1::CASE_STATUS_REGISTERED, {v1::CASE_STATUS_DELISTED}},
      {v1::CASE_STATUS_DELISTED, {v1::CASE_STATUS_COMPLIANCE_MONITORING}},
  };
  return *table;
}

bool InTable(const Table& table, v1::CaseStatus from, v1::CaseStatus to) {
  auto it = table.find(from);
  return it != table.end() && it->second.count(to) > 0;
}

}  // namespace

bool IsLegalTransition(v1::CaseKind kind, v1::CaseStatus from,
                       v1::CaseStatus to) {
  if (from == to) return true;
  if (InTable(CommonRoute(), from, to)) return true;
  return kind == v1::CASE_KIND_POLITICAL_VIOLENCE &&
         InTable(PoliticalViolenceRoute(), from, to);
}

absl::Status CheckTransition(v1::CaseKind kind, v1::CaseStatus from,
                             v1::CaseStatus to) {
  if (IsLegalTransition(kind, from, to)) return absl::OkStatus();
  const std::string move =
      absl::StrCat(v1::CaseStatus_Name(from), " to ", v1::CaseStatus_Name(to));
  if (to == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a case cannot move from ", move, " by an update: use CloseCase"));
  }
  if (from == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a case cannot move from ", move, " by an update: use ReopenCase"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "a ", v1::CaseKind_Name(kind), " case cannot move from ", move));
}

bool IsRegistryStatus(v1::CaseStatus status) {
  return status == v1::CASE_STATUS_REGISTERED ||
         status == v1::CASE_STATUS_DELISTED;
}

absl::Status CheckUserTransition(v1::CaseKind kind, v1::CaseStatus from,
                                 v1::CaseStatus to) {
  if (IsRegistryStatus(to) && from != to) {
    return api::WithErrorText(absl::FailedPreconditionError(absl::StrCat(
                                  "a case moves to ", v1::CaseStatus_Name(to),
                                  " only by the registry, not by an update")),
                              api::ErrorId::kCaseStatusByRegistry);
  }
  if (from == v1::CASE_STATUS_REGISTERED && to != from) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "a case stays CASE_STATUS_REGISTERED while a registry entry of it "
            "is in force"),
        api::ErrorId::kCaseRegistryInForce);
  }
  absl::Status legal = CheckTransition(kind, from, to);
  if (!legal.ok()) {
    return api::WithErrorText(std::move(legal), api::ErrorId::kCaseTransition);
  }
  return absl::OkStatus();
}

std::vector<v1::CaseStatus> NextStatuses(v1::CaseKind kind,
                                         v1::CaseStatus from) {
  std::vector<v1::CaseStatus> out;
  for (int s = v1::CaseStatus_MIN; s <= v1::CaseStatus_MAX; ++s) {
    if (!v1::CaseStatus_IsValid(s) || s == from) continue;
    const auto to = static_cast<v1::CaseStatus>(s);
    if (IsLegalTransition(kind, from, to)) out.push_back(to);
  }
  return out;
}

absl::Status CheckClose(v1::CaseStatus from) {
  if (from == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is already closed");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CaseStatus> ReopenedStatus(v1::CaseStatus from,
                                              int64_t before_close) {
  if (from != v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is not closed");
  }
  if (before_close < v1::CaseStatus_MIN || before_close > v1::CaseStatus_MAX ||
      !v1::CaseStatus_IsValid(static_cast<int>(before_close)) ||
      before_close == v1::CASE_STATUS_UNSPECIFIED ||
      before_close == v1::CASE_STATUS_CLOSED) {
    return absl::DataLossError("the case's status before closure is invalid");
  }
  return static_cast<v1::CaseStatus>(before_close);
}

std::vector<v1::CaseStatus> AllowedNextStatuses(const auth::Principal& caller,
                                                v1::CaseKind kind,
                                                v1::CaseStatus from,
                                                int64_t before_close) {
  const auth::AccessPolicy& policy = auth::AccessPolicy::Default();
  auto may = [&](const char* method) {
    return policy
        .Check(caller, absl::StrCat("/resguardo.v1.CaseService/", method))
        .ok();
  };
  std::vector<v1::CaseStatus> out;
  if (may("UpdateCase")) {
    for (v1::CaseStatus to : NextStatuses(kind, from)) {
      if (!IsRegistryStatus(to)) out.push_back(to);
    }
  }
  if (may("CloseCase") && CheckClose(from).ok()) {
    out.push_back(v1::CASE_STATUS_CLOSED);
  }
  if (may("ReopenCase")) {
    absl::StatusOr<v1::CaseStatus> back = ReopenedStatus(from, before_close);
    if (back.ok()) out.push_back(*back);
  }
  return out;
}

}  // namespace resguardo::cases
