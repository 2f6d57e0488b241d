// DeadlinePolicy: the referral deadlines and alert horizons of a node, from
// its configuration (NodeConfig.referrals, node_config.proto), with the
// defaults documented there. Deadlines are configuration, not code
// (DOMAIN.md).
//
// Thread safety: a plain value; const methods may run concurrently.
#ifndef RESGUARDO_SERVICES_REFERRALS_DEADLINE_POLICY_H_
#define RESGUARDO_SERVICES_REFERRALS_DEADLINE_POLICY_H_

#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::referrals {

struct DeadlinePolicy {
  struct Rule {
    v1::ReferralServiceKind service = v1::REFERRAL_SERVICE_KIND_UNSPECIFIED;
    std::set<v1::RiskLevel> risk_levels;
    absl::Duration accept_within;
  };

  absl::Duration accept_within = absl::Hours(24);
  std::vector<Rule> rules = {{v1::REFERRAL_SERVICE_KIND_PROTECTION,
                              {v1::RISK_LEVEL_HIGH, v1::RISK_LEVEL_CRITICAL},
                              absl::Hours(4)}};
  absl::Duration deadline_near = absl::Minutes(60);
  int measure_expiring_days = 7;
  absl::Duration monitor_interval = absl::Seconds(60);
  absl::Duration alert_poll_interval = absl::Milliseconds(500);

  // The policy of `config` (defaults for unset fields). INVALID_ARGUMENT
  // naming the field ("referrals.accept_deadline_rules[0].service: ...")
  // for a value out of its documented range.
  static absl::StatusOr<DeadlinePolicy> FromConfig(
      const config::v1::ReferralConfig& config);

  // How long the receiver has to accept a referral of `services` for a case
  // of `risk`: the smallest time of the matching rules, else accept_within.
  absl::Duration AcceptWithin(
      const std::vector<v1::ReferralServiceKind>& services,
      v1::RiskLevel risk) const;
};

}  // namespace resguardo::referrals

#endif  // RESGUARDO_SERVICES_REFERRALS_DEADLINE_POLICY_H_
