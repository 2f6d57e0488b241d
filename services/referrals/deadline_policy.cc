#include "services/referrals/deadline_policy.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace resguardo::referrals {
namespace {

absl::Status OutOfRange(absl::string_view field, uint32_t min, uint32_t max) {
  return absl::InvalidArgumentError(
      absl::StrCat("referrals.", field, ": must be from ", min, " to ", max));
}

}  // namespace

absl::StatusOr<DeadlinePolicy> DeadlinePolicy::FromConfig(
    const config::v1::ReferralConfig& config) {
  DeadlinePolicy policy;
  if (config.has_accept_within_hours()) {
    if (config.accept_within_hours() < 1 ||
        config.accept_within_hours() > 8760) {
      return OutOfRange("accept_within_hours", 1, 8760);
    }
    policy.accept_within = absl::Hours(config.accept_within_hours());
  }
  if (config.accept_deadline_rules_size() > 0) {
    policy.rules.clear();
    for (int i = 0; i < config.accept_deadline_rules_size(); ++i) {
      const config::v1::AcceptDeadlineRule& in =
          config.accept_deadline_rules(i);
      const std::string field = absl::StrCat("accept_deadline_rules[", i, "]");
      if (in.service() == v1::REFERRAL_SERVICE_KIND_UNSPECIFIED ||
          !v1::ReferralServiceKind_IsValid(in.service())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "referrals.", field, ".service: must be a referral service"));
      }
      if (in.risk_levels_size() == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "referrals.", field, ".risk_levels: at least one risk level"));
      }
      Rule rule;
      rule.service = in.service();
      for (int r : in.risk_levels()) {
        if (r == v1::RISK_LEVEL_UNSPECIFIED || !v1::RiskLevel_IsValid(r)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "referrals.", field, ".risk_levels: must be risk levels"));
        }
        rule.risk_levels.insert(static_cast<v1::RiskLevel>(r));
      }
      if (in.accept_within_hours() < 1 || in.accept_within_hours() > 8760) {
        return OutOfRange(absl::StrCat(field, ".accept_within_hours"), 1, 8760);
      }
      rule.accept_within = absl::Hours(in.accept_within_hours());
      policy.rules.push_back(std::move(rule));
    }
  }
  if (config.has_deadline_near_minutes()) {
    if (config.deadline_near_minutes() < 1 ||
        config.deadline_near_minutes() > 10080) {
      return OutOfRange("deadline_near_minutes", 1, 10080);
    }
    policy.deadline_near = absl::Minutes(config.deadline_near_minutes());
  }
  if (config.has_measure_expiring_days()) {
    if (config.measure_expiring_days() < 1 ||
        config.measure_expiring_days() > 365) {
      return OutOfRange("measure_expiring_days", 1, 365);
    }
    policy.measure_expiring_days =
        static_cast<int>(config.measure_expiring_days());
  }
  if (config.has_monitor_interval_seconds()) {
    if (config.monitor_interval_seconds() < 1 ||
        config.monitor_interval_seconds() > 3600) {
      return OutOfRange("monitor_interval_seconds", 1, 3600);
    }
    policy.monitor_interval = absl::Seconds(config.monitor_interval_seconds());
  }
  if (config.has_alert_poll_interval_ms()) {
    if (config.alert_poll_interval_ms() < 50 ||
        config.alert_poll_interval_ms() > 60000) {
      return OutOfRange("alert_poll_interval_ms", 50, 60000);
    }
    policy.alert_poll_interval =
        absl::Milliseconds(config.alert_poll_interval_ms());
  }
  return policy;
}

absl::Duration DeadlinePolicy::AcceptWithin(
    const std::vector<v1::ReferralServiceKind>& services,
    v1::RiskLevel risk) const {
  absl::Duration best = accept_within;
  for (const Rule& rule : rules) {
    if (!rule.risk_levels.count(risk)) continue;
    if (std::find(services.begin(), services.end(), rule.service) ==
        services.end()) {
      continue;
    }
    best = std::min(best, rule.accept_within);
  }
  return best;
}

}  // namespace resguardo::referrals
