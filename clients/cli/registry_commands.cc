#include "clients/cli/registry_commands.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/publication_check.h"
#include "clients/cli/table.h"
#include "clients/cli/terminal_text.h"
#include "clients/cli/trusted_keys.h"
#include "crypto/publication_note.h"
#include "crypto/signed_note.h"
#include "google/protobuf/struct.pb.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/registry_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::RegistryService::Stub;

absl::StatusOr<std::string> Parent(Invocation& inv) {
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return institution.status();
  return absl::StrCat("institutions/", *institution);
}

std::string StateLabel(const std::string& code, Lang lang) {
  int number = 0;
  if (code.size() != 2 || !absl::SimpleAtoi(code, &number)) return code;
  return LabelOf(v1::State_descriptor(), number, lang);
}

std::string EntriesTable(
    const google::protobuf::RepeatedPtrField<v1::RegistryEntry>& entries,
    Lang lang) {
  if (entries.empty()) return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  Table table({Text(lang, MsgId::kFieldRegistryEntry),
               Text(lang, MsgId::kFieldRegistryPerson),
               Text(lang, MsgId::kFieldRegistryPosition),
               Text(lang, MsgId::kFieldRegistryState),
               Text(lang, MsgId::kFieldRegistryAuthority),
               Text(lang, MsgId::kFieldRegistryStart),
               Text(lang, MsgId::kFieldRegistryEnd),
               Text(lang, MsgId::kFieldRegistryStatus)});
  for (const v1::RegistryEntry& e : entries) {
    table.AddRow(
        {TerminalSafe(e.name()), TerminalSafe(e.person_name()),
         TerminalSafe(e.position()), StateLabel(e.state_code(), lang),
         TerminalSafe(e.sanctioning_authority()), FormatDate(e.start_date()),
         FormatDate(e.end_date()),
         LabelOf(v1::RegistryEntryStatus_descriptor(), e.status(), lang)});
  }
  return table.Render();
}

int RunInscribe(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::InscribeRequest request;
  request.set_sanctioned_person(inv.args()[0]);
  absl::StatusOr<std::optional<int>> aggressor =
      GetInt(inv.flags(), "aggressor", 0, 1000, lang);
  if (!aggressor.ok()) return inv.LocalError(aggressor.status());
  if (!aggressor->has_value()) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--aggressor"));
  }
  request.set_aggressor_index(**aggressor);
  v1::RegistryEntry& e = *request.mutable_entry();
  int rc = kExitOk;
  std::optional<std::string> position = inv.RequiredFlag("position", &rc);
  if (!position) return rc;
  e.set_position(*position);
  absl::StatusOr<std::optional<int>> sex =
      GetCode(inv.flags(), "sex", v1::SanctionedPersonSex_descriptor(), lang);
  absl::StatusOr<std::optional<int>> candidacy =
      GetCode(inv.flags(), "candidacy", v1::Candidacy_descriptor(), lang);
  absl::StatusOr<std::optional<int>> level =
      GetCode(inv.flags(), "territorial-level",
              v1::TerritorialLevel_descriptor(), lang);
  absl::StatusOr<std::optional<google::type::Date>> start =
      GetDate(inv.flags(), "start", lang);
  for (const absl::Status& s :
       {sex.status(), candidacy.status(), level.status(), start.status()}) {
    if (!s.ok()) return inv.LocalError(s);
  }
  if (!sex->has_value() || !candidacy->has_value() || !start->has_value()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags, "--sex --candidacy --start"));
  }
  e.set_sex(static_cast<v1::SanctionedPersonSex>(**sex));
  e.set_candidacy(static_cast<v1::Candidacy>(**candidacy));
  if (level->has_value()) {
    e.set_territorial_level(static_cast<v1::TerritorialLevel>(**level));
  }
  *e.mutable_start_date() = **start;
  request.set_request_id(inv.flags().Get("request-id").value_or(""));
  v1::RegistryEntry response;
  rc = inv.CallOnce(&Stub::Inscribe, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    return absl::StrCat(
        Msg(lang, MsgId::kRegistryInscribed, TerminalSafe(response.name()),
            FormatDate(response.start_date()), FormatDate(response.end_date()),
            response.etag()),
        "\n");
  });
}

int RunList(Invocation& inv) {
  absl::StatusOr<std::string> parent = Parent(inv);
  if (!parent.ok()) return inv.LocalError(parent.status());
  v1::ListRegistryEntriesRequest request;
  request.set_parent(*parent);
  v1::ListRegistryEntriesResponse all;
  if (int rc = FetchList<v1::RegistryService>(inv, 500, request,
                                              &Stub::ListRegistryEntries, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(inv, all,
                   [&] { return EntriesTable(all.entries(), inv.lang()); });
}

int RunSearch(Invocation& inv) {
  absl::StatusOr<std::string> parent = Parent(inv);
  if (!parent.ok()) return inv.LocalError(parent.status());
  v1::SearchRegistryRequest request;
  request.set_parent(*parent);
  request.set_person_name(inv.flags().Get("name").value_or(""));
  request.set_position(inv.flags().Get("position").value_or(""));
  absl::StatusOr<std::optional<std::string>> state =
      GetStateCode(inv.flags(), "state", inv.lang());
  if (!state.ok()) return inv.LocalError(state.status());
  request.set_state_code(state->value_or(""));
  v1::SearchRegistryResponse all;
  if (int rc = FetchList<v1::RegistryService>(inv, 500, request,
                                              &Stub::SearchRegistry, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(inv, all,
                   [&] { return EntriesTable(all.entries(), inv.lang()); });
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.flush();
  return static_cast<bool>(out);
}

int RunExport(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> folder = inv.RequiredFlag("out", &rc);
  if (!folder) return rc;
  absl::StatusOr<std::string> parent = Parent(inv);
  if (!parent.ok()) return inv.LocalError(parent.status());
  v1::ExportRegistryRequest request;
  request.set_parent(*parent);
  v1::RegistryExport response;
  rc = inv.CallOnce(&Stub::ExportRegistry, request, &response);
  if (rc != kExitOk) return rc;
  // The node names the files (its names are in the signed note); a name
  // that could leave the folder is not one it gives.
  auto plain = [](const std::string& name) {
    return !name.empty() && name[0] != '.' &&
           name.find('/') == std::string::npos;
  };
  if (!plain(response.csv_file_name()) || !plain(response.json_file_name())) {
    return inv.UsageError(Msg(lang, MsgId::kErrRegistryWrite, *folder));
  }
  const std::string csv = absl::StrCat(*folder, "/", response.csv_file_name());
  const std::string json =
      absl::StrCat(*folder, "/", response.json_file_name());
  std::string stem = response.csv_file_name();
  stem = stem.substr(0, stem.rfind('.'));
  const std::string note = absl::StrCat(*folder, "/", stem, ".note");
  const std::vector<std::pair<std::string, const std::string*>> files = {
      {csv, &response.csv()},
      {json, &response.json()},
      {note, &response.signed_note()}};
  for (const auto& [path, bytes] : files) {
    if (!WriteFile(path, *bytes)) {
      return inv.UsageError(Msg(lang, MsgId::kErrRegistryWrite, path));
    }
  }
  google::protobuf::Struct result;
  auto& fields = *result.mutable_fields();
  fields["csv"].set_string_value(csv);
  fields["json"].set_string_value(json);
  fields["note"].set_string_value(note);
  fields["entries"].set_number_value(response.entry_count());
  return inv.Print(result, [&] {
    return absl::StrCat(
        Msg(lang, MsgId::kRegistryExported,
            absl::StrCat(response.entry_count()), csv, json, note),
        "\n");
  });
}

absl::StatusOr<std::string> ReadFile(const std::string& path, Lang lang) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(Msg(lang, MsgId::kErrRegistryRead, path));
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

int RunVerify(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> note_path = inv.RequiredFlag("note", &rc);
  if (!note_path) return rc;
  absl::StatusOr<std::vector<std::string>> keys =
      TrustedKeys(inv, /*key_is_vkey=*/false);
  if (!keys.ok()) return inv.UsageError(keys.status().message());
  if (keys->empty()) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--vkey"));
  }
  const std::string& path = inv.args()[0];
  absl::StatusOr<std::string> file = ReadFile(path, lang);
  if (!file.ok()) return inv.UsageError(file.status().message());
  absl::StatusOr<std::string> note = ReadFile(*note_path, lang);
  if (!note.ok()) return inv.UsageError(note.status().message());
  std::vector<std::unique_ptr<crypto::NoteVerifier>> verifiers;
  std::vector<const crypto::NoteVerifier*> known;
  for (const std::string& key : *keys) {
    absl::StatusOr<std::unique_ptr<crypto::NoteVerifier>> v =
        crypto::NoteVerifier::FromVerifierKey(key);
    if (!v.ok()) return inv.UsageError(v.status().message());
    known.push_back(v->get());
    verifiers.push_back(*std::move(v));
  }
  // The note binds each file to its name: a renamed file is checked under
  // the name it was published with (--name).
  const std::string name =
      inv.flags().Get("name").value_or(path.substr(path.rfind('/') + 1));
  PublicationCheck check = CheckPublication(*note, known, name, *file, lang);
  google::protobuf::Struct result;
  auto& fields = *result.mutable_fields();
  fields["file"].set_string_value(path);
  fields["verified"].set_bool_value(check.publication.has_value());
  if (!check.publication) {
    fields["reason"].set_string_value(check.reason_code);
    fields["error"].set_string_value(check.reason);
    if (inv.json()) {
      inv.Print(result, [] { return std::string(); });
    } else {
      inv.err() << Msg(lang, MsgId::kRegistryVerifyFailed, check.reason)
                << "\n";
    }
    return kExitNotVerified;
  }
  const crypto::Publication* publication = &*check.publication;
  const std::string when = absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ", publication->time, absl::UTCTimeZone());
  fields["origin"].set_string_value(publication->origin);
  fields["publish_time"].set_string_value(when);
  return inv.Print(result, [&] {
    return absl::StrCat(Msg(lang, MsgId::kRegistryVerifyOk,
                            TerminalSafe(publication->origin), when),
                        "\n");
  });
}

}  // namespace

void RegisterRegistryCommands(CommandRegistry& r) {
  r.AddGroup({{"registry"}, MsgId::kGroupRegistry});
  r.Add({{"registry", "inscribe"},
         MsgId::kCmdRegistryInscribe,
         MsgId::kUsageRegistryInscribe,
         MsgId::kDetailsRegistryInscribe,
         {Flag("aggressor", FlagValue::kNumber, MsgId::kFlagRegistryAggressor),
          CodeFlag("sex", v1::SanctionedPersonSex_descriptor(),
                   MsgId::kFlagRegistrySex),
          Flag("position", FlagValue::kText, MsgId::kFlagRegistryPosition),
          CodeFlag("candidacy", v1::Candidacy_descriptor(),
                   MsgId::kFlagRegistryCandidacy),
          CodeFlag("territorial-level", v1::TerritorialLevel_descriptor(),
                   MsgId::kFlagRegistryTerritorialLevel),
          Flag("start", FlagValue::kDate, MsgId::kFlagRegistryStart),
          Flag("request-id", FlagValue::kText, MsgId::kFlagRequestId)},
         1,
         1,
         RunInscribe});
  r.Add({{"registry", "list"},
         MsgId::kCmdRegistryList,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize),
          Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken),
          Flag("all", FlagValue::kNone, MsgId::kFlagAll)},
         0,
         0,
         RunList});
  r.Add(
      {{"registry", "search"},
       MsgId::kCmdRegistrySearch,
       MsgId::kUsageOptionsOnly,
       MsgId::kDetailsRegistrySearch,
       {Flag("name", FlagValue::kText, MsgId::kFlagRegistrySearchName),
        Flag("position", FlagValue::kText, MsgId::kFlagRegistrySearchPosition),
        Flag("state", FlagValue::kText, MsgId::kFlagState),
        Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize),
        Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken),
        Flag("all", FlagValue::kNone, MsgId::kFlagAll)},
       0,
       0,
       RunSearch});
  r.Add({{"registry", "export"},
         MsgId::kCmdRegistryExport,
         MsgId::kUsageOptionsOnly,
         MsgId::kDetailsRegistryExport,
         {Flag("out", FlagValue::kPath, MsgId::kFlagRegistryOut)},
         0,
         0,
         RunExport});
  r.Add({{"registry", "verify"},
         MsgId::kCmdRegistryVerify,
         MsgId::kUsageRegistryVerify,
         MsgId::kDetailsRegistryVerify,
         {Flag("note", FlagValue::kPath, MsgId::kFlagRegistryNote),
          Flag("vkey", FlagValue::kText, MsgId::kFlagRegistryKey,
               /*repeatable=*/true),
          Flag("name", FlagValue::kText, MsgId::kFlagRegistryVerifyName)},
         1,
         1,
         RunVerify});
}

}  // namespace resguardo::cli
