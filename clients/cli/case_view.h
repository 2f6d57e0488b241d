// Cases, follow-ups and protection measures as people read them: catalogue
// labels in the user's language, dates in her time zone. Personal data is
// shown only when the node returned it (GetCase FULL, with a purpose).
#ifndef RESGUARDO_CLIENTS_CLI_CASE_VIEW_H_
#define RESGUARDO_CLIENTS_CLI_CASE_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "clients/cli/language.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "resguardo/v1/case.pb.h"

namespace resguardo::cli {

// Every field of one case, one per line; measures as a table below.
std::string RenderCase(const resguardo::v1::Case& c, Lang lang,
                       absl::TimeZone zone);

// One row per case: folio, kind, status, risk, state, reported, updated.
std::string RenderCaseList(
    const google::protobuf::RepeatedPtrField<resguardo::v1::Case>& cases,
    Lang lang, absl::TimeZone zone);

std::string RenderFollowUps(
    const google::protobuf::RepeatedPtrField<resguardo::v1::FollowUp>& list,
    Lang lang, absl::TimeZone zone);

std::string RenderFollowUp(const resguardo::v1::FollowUp& f, Lang lang,
                           absl::TimeZone zone);

std::string RenderMeasures(const google::protobuf::RepeatedPtrField<
                               resguardo::v1::ProtectionMeasure>& list,
                           Lang lang);

// "CODE (Label); ..." of `values`: the codes a person types, with their
// labels (e.g. the statuses a case may move to).
std::string CodesAndLabels(const google::protobuf::EnumDescriptor* e,
                           const google::protobuf::RepeatedField<int>& values,
                           Lang lang);

// The labels of a repeated catalogue field, joined with "; ".
std::string JoinLabels(const google::protobuf::EnumDescriptor* e,
                       const google::protobuf::RepeatedField<int>& values,
                       Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CASE_VIEW_H_
