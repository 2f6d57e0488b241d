#include "clients/cli/resolution_view.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/dates.h"
#include "clients/cli/messages.h"
#include "clients/cli/table.h"

namespace resguardo::cli {
namespace {

std::string Number(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

std::string Sanctions(const v1::SanctionedPerson& p, Lang lang) {
  std::vector<std::string> out;
  for (const v1::Sanction& s : p.sanctions()) {
    std::string text = LabelOf(v1::SanctionType_descriptor(), s.type(), lang);
    if (s.has_fine_amount()) {
      absl::StrAppend(&text, " (",
                      absl::StrFormat("%d.%02d %s", s.fine_amount().units(),
                                      s.fine_amount().nanos() / 10000000,
                                      s.fine_amount().currency_code()),
                      ")");
    }
    out.push_back(std::move(text));
  }
  return absl::StrJoin(out, "; ");
}

}  // namespace

std::string RenderResolutions(
    const google::protobuf::RepeatedPtrField<v1::Resolution>& list, Lang lang) {
  if (list.empty())
    return absl::StrCat(Text(lang, MsgId::kNoResolutions), "\n");
  auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
  std::string out;
  for (const v1::Resolution& r : list) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {t(MsgId::kFieldResolvingAuthority), r.resolving_authority()},
        {t(MsgId::kFieldFileNumber), r.file_number()},
        {t(MsgId::kFieldResolutionDate), FormatDate(r.resolution_date())},
        {t(MsgId::kFieldOutcome),
         LabelOf(v1::ResolutionOutcome_descriptor(), r.outcome(), lang)},
        {t(MsgId::kFieldFinalDate), FormatDate(r.final_date())},
    };
    if (!r.notes().empty()) {
      fields.push_back({t(MsgId::kFieldResolutionNotes), r.notes()});
    }
    for (const v1::SanctionedPerson& p : r.sanctioned_persons()) {
      const std::string who =
          Msg(lang, MsgId::kFieldSanctionedPerson, Number(p.name()));
      fields.push_back(
          {who,
           absl::StrCat(LabelOf(v1::FaultQualification_descriptor(),
                                p.qualification(), lang),
                        p.repeat_offence()
                            ? absl::StrCat(", ", t(MsgId::kFieldRepeatOffence))
                            : "")});
      fields.push_back(
          {absl::StrCat("  ", t(MsgId::kFieldSanctions)), Sanctions(p, lang)});
      if (p.has_registry_term()) {
        const v1::RegistryTerm& term = p.registry_term();
        fields.push_back({absl::StrCat("  ", t(MsgId::kFieldRegistryTerm)),
                          Msg(lang, MsgId::kTermValue, term.years(),
                              term.months(), term.days())});
      }
    }
    absl::StrAppend(&out,
                    Msg(lang, MsgId::kHeadingResolution, Number(r.name())),
                    "\n", RenderRecord(fields));
    if (r.appeals_size() > 0) {
      Table appeals({t(MsgId::kFieldMeasureNumber), t(MsgId::kFieldFiled),
                     t(MsgId::kFieldResolvingAuthority),
                     t(MsgId::kFieldFileNumber), t(MsgId::kFieldOutcome),
                     t(MsgId::kFieldDecided)});
      for (const v1::Appeal& a : r.appeals()) {
        appeals.AddRow(
            {Number(a.name()), FormatDate(a.filed_date()),
             a.reviewing_authority(), a.file_number(),
             LabelOf(v1::AppealOutcome_descriptor(), a.outcome(), lang),
             FormatDate(a.outcome_date())});
      }
      absl::StrAppend(&out, "\n", t(MsgId::kHeadingAppeals), "\n",
                      appeals.Render());
    }
    if (r.reparation_measures_size() > 0) {
      Table measures({t(MsgId::kFieldMeasureNumber), t(MsgId::kFieldKind),
                      t(MsgId::kFieldResolvingAuthority), t(MsgId::kFieldDue),
                      t(MsgId::kFieldCompliance), t(MsgId::kFieldAllowedNext)});
      const google::protobuf::EnumDescriptor* status =
          v1::ReparationComplianceStatus_descriptor();
      for (const v1::ReparationMeasure& m : r.reparation_measures()) {
        std::vector<std::string> next;
        for (int s : m.allowed_next_statuses()) {
          next.push_back(CodeOf(status, s));
        }
        measures.AddRow(
            {Number(m.name()),
             LabelOf(v1::ReparationMeasureKind_descriptor(), m.kind(), lang),
             m.responsible_authority(), FormatDate(m.due_date()),
             LabelOf(status, m.compliance_status(), lang),
             absl::StrJoin(next, ", ")});
      }
      absl::StrAppend(&out, "\n", t(MsgId::kHeadingReparations), "\n",
                      measures.Render());
      // The sealed descriptions: only the FULL view carries them (a read of
      // personal data, audited with its purpose).
      std::vector<std::pair<std::string, std::string>> descriptions;
      for (const v1::ReparationMeasure& m : r.reparation_measures()) {
        if (m.description().empty()) continue;
        descriptions.push_back(
            {Msg(lang, MsgId::kFieldMeasureDescription, Number(m.name())),
             m.description()});
      }
      if (!descriptions.empty()) {
        absl::StrAppend(&out, "\n", RenderRecord(descriptions));
      }
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace resguardo::cli
