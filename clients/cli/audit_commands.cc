#include "clients/cli/audit_commands.h"

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "audit_bundle/bundle_verifier.h"
#include "clients/cli/audit_filters.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/table.h"
#include "clients/cli/terminal_text.h"
#include "clients/cli/trusted_keys.h"
#include "google/protobuf/struct.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::AuditService::Stub;

std::unique_ptr<Stub> NewStub(Invocation& inv, int* exit_code) {
  return inv.NewStub<v1::AuditService>(exit_code);
}

// A whole number >= 0 from a positional argument or flag value.
std::optional<uint64_t> ParseIndex(absl::string_view text) {
  uint64_t v = 0;
  if (text.empty() || !absl::SimpleAtoi(text, &v)) return std::nullopt;
  return v;
}

// A progress bar on stderr, only when it is a terminal and output is not
// JSON.
class Progress {
 public:
  Progress(Invocation& inv, MsgId label)
      : inv_(inv),
        label_(Text(inv.lang(), label)),
        on_(!inv.json() && isatty(STDERR_FILENO) == 1) {}
  ~Progress() {
    if (drawn_) inv_.err() << "\n";
  }
  void Update(uint64_t done, uint64_t total) {
    if (!on_ || total == 0) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / total);
    inv_.err() << "\r" << label_ << " [" << std::string(filled, '#')
               << std::string(kWidth - filled, ' ') << "] " << done << "/"
               << total;
    // A full bar ends its line at once, so that what is printed next (the
    // result, or an error) starts on a line of its own.
    drawn_ = done < total;
    inv_.err() << (drawn_ ? "" : "\n") << std::flush;
  }

 private:
  Invocation& inv_;
  std::string label_;
  bool on_;
  bool drawn_ = false;
};

std::string RenderCheckpoint(const v1::GetCheckpointResponse& r, Lang lang,
                             absl::TimeZone zone) {
  std::string out =
      absl::StrCat(Msg(lang, MsgId::kAuditCheckpointHeading,
                       absl::StrCat(r.checkpoint().seq()),
                       absl::StrCat(r.checkpoint().tree_size()),
                       FormatTimestamp(r.checkpoint().sign_time(), zone)),
                   "\n\n", TerminalSafeMultiline(r.checkpoint().note()), "\n",
                   Text(lang, MsgId::kAuditKeysHeading), "\n");
  for (const v1::AuditSigningKey& k : r.keys()) {
    absl::StrAppend(&out, "  ", k.generation(), "  ", k.key_id(), "  ",
                    TerminalSafe(k.verifier_key()), "\n");
  }
  return out;
}

int RunCheckpoint(Invocation& inv) {
  v1::GetCheckpointRequest request;
  request.set_refresh(inv.flags().Has("refresh"));
  int rc = kExitOk;
  v1::GetCheckpointResponse response;
  rc = inv.CallOnce(&Stub::GetCheckpoint, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    return RenderCheckpoint(response, inv.lang(), inv.zone());
  });
}

int RunEntries(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::ListEntriesRequest request;
  for (const char* name : {"from", "to"}) {
    if (auto v = inv.flags().Get(name)) {
      std::optional<uint64_t> n = ParseIndex(*v);
      if (!n) {
        return inv.UsageError(
            Msg(lang, MsgId::kErrAuditIndex, absl::StrCat("--", name)));
      }
      if (absl::string_view(name) == "from") {
        request.set_start_index(*n);
      } else {
        request.set_end_index(*n);
      }
    }
  }
  request.set_actor(inv.flags().Get("actor").value_or(""));
  request.set_institution(inv.flags().Get("caller-institution").value_or(""));
  if (std::optional<std::string> method = inv.flags().Get("method")) {
    absl::StatusOr<std::string> full = FullMethodName(*method);
    if (!full.ok()) {
      return inv.UsageError(Text(lang, absl::IsInvalidArgument(full.status())
                                           ? MsgId::kErrAuditMethodAmbiguous
                                           : MsgId::kErrAuditMethod));
    }
    request.set_method(*full);
  }
  if (std::optional<std::string> resource = inv.flags().Get("resource")) {
    request.set_resource(ResourceFilter(*resource));
  }
  if (std::optional<std::string> outcome = inv.flags().Get("outcome")) {
    absl::StatusOr<int> code = OutcomeCode(*outcome);
    if (!code.ok()) return inv.UsageError(Text(lang, MsgId::kErrAuditOutcome));
    request.set_has_outcome(true);
    request.set_outcome(*code);
  }
  for (const char* name : {"since", "until"}) {
    absl::StatusOr<std::optional<google::protobuf::Timestamp>> t =
        GetTimestamp(inv.flags(), name, inv.zone(), lang);
    if (!t.ok()) return inv.LocalError(t.status());
    if (!t->has_value()) continue;
    if (absl::string_view(name) == "since") {
      *request.mutable_start_time() = **t;
    } else {
      *request.mutable_end_time() = **t;
    }
  }
  v1::ListEntriesResponse all;
  if (int rc = FetchList<v1::AuditService>(inv, 1000, request,
                                           &Stub::ListEntries, all);
      rc != kExitOk) {
    return rc;
  }
  // Not PrintList: an empty page says only that there are no results.
  return inv.Print(all, [&] {
    if (all.entries().empty()) {
      return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
    }
    Table table({Text(lang, MsgId::kFieldAuditIndex),
                 Text(lang, MsgId::kFieldAuditTime),
                 Text(lang, MsgId::kFieldAuditActor),
                 Text(lang, MsgId::kFieldAuditMethod),
                 Text(lang, MsgId::kFieldAuditResource),
                 Text(lang, MsgId::kFieldAuditOutcome),
                 Text(lang, MsgId::kFieldAuditPurpose),
                 Text(lang, MsgId::kFieldAuditNote)});
    for (const v1::ListedEntry& e : all.entries()) {
      // A claimed identity the node did not accept is not an act of hers.
      const std::string actor =
          e.entry().actor_unverified()
              ? Msg(lang, MsgId::kAuditActorUnverified, e.entry().actor())
              : e.entry().actor();
      table.AddRow(
          {absl::StrCat(e.entry().index()),
           FormatTimestamp(e.entry().time(), inv.zone()), actor,
           e.entry().method(), e.entry().resource(),
           OutcomeName(e.entry().outcome()),
           LabelOf(v1::AccessPurpose_descriptor(), e.entry().purpose(), lang),
           e.entry().note()});
    }
    std::string out = table.Render();
    if (!all.next_page_token().empty()) {
      absl::StrAppend(&out, Msg(lang, MsgId::kMorePages, all.next_page_token()),
                      "\n");
    }
    return out;
  });
}

int RunProve(Invocation& inv) {
  const Lang lang = inv.lang();
  std::optional<uint64_t> index = ParseIndex(inv.args()[0]);
  if (!index) return inv.UsageError(Msg(lang, MsgId::kErrAuditIndex, "INDEX"));
  absl::StatusOr<std::vector<std::string>> keys = TrustedKeys(inv, false);
  if (!keys.ok()) return inv.UsageError(keys.status().message());
  // A proof checked against keys the node reports about itself proves
  // nothing: the auditor's own copy of the published key is required.
  if (keys->empty()) {
    return inv.UsageError(Text(lang, MsgId::kAuditProveUntrusted));
  }
  int rc = kExitOk;
  std::unique_ptr<Stub> stub = NewStub(inv, &rc);
  if (!stub) return rc;
  // A checkpoint that covers the entry: refresh it so a recent entry is in.
  v1::GetCheckpointRequest cp_request;
  cp_request.set_refresh(true);
  v1::GetCheckpointResponse checkpoint;
  rc = inv.Call([&](grpc::ClientContext* ctx) {
    return stub->GetCheckpoint(ctx, cp_request, &checkpoint);
  });
  if (rc != kExitOk) return rc;
  v1::GetInclusionProofRequest request;
  request.set_index(*index);
  request.set_tree_size(checkpoint.checkpoint().tree_size());
  v1::GetInclusionProofResponse proof;
  rc = inv.Call([&](grpc::ClientContext* ctx) {
    return stub->GetInclusionProof(ctx, request, &proof);
  });
  if (rc != kExitOk) return rc;
  std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  absl::StatusOr<uint64_t> size =
      audit::VerifyEntryInclusion(checkpoint.checkpoint().note(), *keys,
                                  proof.entry_bytes(), *index, hashes);
  google::protobuf::Struct result;
  auto& fields = *result.mutable_fields();
  fields["index"].set_number_value(static_cast<double>(*index));
  fields["tree_size"].set_number_value(
      static_cast<double>(checkpoint.checkpoint().tree_size()));
  fields["verified"].set_bool_value(size.ok());
  fields["checkpoint"].set_string_value(checkpoint.checkpoint().note());
  if (!size.ok()) {
    fields["error"].set_string_value(std::string(size.status().message()));
    if (inv.json()) {
      inv.Print(result, [] { return std::string(); });
    } else {
      inv.err() << Msg(lang, MsgId::kAuditProveFailed, size.status().message())
                << "\n";
    }
    return kExitNotVerified;
  }
  v1::AuditEntry entry;
  entry.ParseFromString(proof.entry_bytes());
  return inv.Print(result, [&] {
    return absl::StrCat(Msg(lang, MsgId::kAuditProveOk, absl::StrCat(*index),
                            absl::StrCat(*size)),
                        "\n  ", FormatTimestamp(entry.time(), inv.zone()), "  ",
                        TerminalSafe(entry.actor()), "  ",
                        TerminalSafe(entry.method()), "  ",
                        TerminalSafe(entry.resource()), "  ",
                        OutcomeName(entry.outcome()), "\n");
  });
}

int RunExport(Invocation& inv) {
  const Lang lang = inv.lang();
  std::optional<std::string> out_path = inv.flags().Get("out");
  if (!out_path) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--out"));
  }
  uint64_t tree_size = 0;
  if (auto v = inv.flags().Get("size")) {
    std::optional<uint64_t> n = ParseIndex(*v);
    if (!n) return inv.UsageError(Msg(lang, MsgId::kErrAuditIndex, "--size"));
    tree_size = *n;
  }
  int rc = kExitOk;
  std::unique_ptr<Stub> stub = NewStub(inv, &rc);
  if (!stub) return rc;
  // Pages are fetched first, then written: a failed export leaves no file
  // that looks complete.
  v1::ExportLogRequest request;
  request.set_tree_size(tree_size);
  request.set_page_size(10000);
  v1::ExportLogResponse first;
  std::vector<v1::SignedCheckpoint> checkpoints;
  const std::string partial = absl::StrCat(*out_path, ".partial");
  absl::StatusOr<std::unique_ptr<audit::BundleWriter>> entries_writer =
      audit::BundleWriter::Create(partial);
  if (!entries_writer.ok()) {
    return inv.UsageError(Msg(lang, MsgId::kErrAuditWrite, *out_path));
  }
  Progress progress(inv, MsgId::kAuditExporting);
  uint64_t next = 0;
  while (true) {
    request.set_start_index(next);
    v1::ExportLogResponse page;
    rc = inv.Call([&](grpc::ClientContext* ctx) {
      return stub->ExportLog(ctx, request, &page);
    });
    if (rc != kExitOk) {
      std::remove(partial.c_str());
      return rc;
    }
    if (next == 0) {
      first = page;
      request.set_tree_size(page.tree_size());
    }
    for (const v1::SignedCheckpoint& cp : page.checkpoints()) {
      checkpoints.push_back(cp);
    }
    for (const std::string& e : page.entries()) {
      if (!(*entries_writer)->WriteEntry(e).ok()) {
        std::remove(partial.c_str());
        return inv.UsageError(Msg(lang, MsgId::kErrAuditWrite, *out_path));
      }
    }
    progress.Update(page.next_index(), page.tree_size());
    if (page.next_index() >= page.tree_size() || page.next_index() <= next) {
      next = page.next_index();
      break;
    }
    next = page.next_index();
  }
  if (!(*entries_writer)->Close().ok()) {
    std::remove(partial.c_str());
    return inv.UsageError(Msg(lang, MsgId::kErrAuditWrite, *out_path));
  }
  // The bundle: header, checkpoints, then the entries written above.
  absl::StatusOr<std::unique_ptr<audit::BundleWriter>> writer =
      audit::BundleWriter::Create(*out_path);
  bool ok = writer.ok();
  if (ok) {
    v1::AuditBundleHeader header;
    header.set_origin(first.origin());
    header.set_tree_size(first.tree_size());
    *header.mutable_keys() = first.keys();
    const int64_t micros = absl::ToUnixMicros(absl::Now());
    header.mutable_export_time()->set_seconds(micros / 1000000);
    ok = (*writer)->WriteHeader(header).ok();
    for (const v1::SignedCheckpoint& cp : checkpoints) {
      ok = ok && (*writer)->WriteCheckpoint(cp).ok();
    }
    ok = ok && (*writer)->Close().ok();
  }
  if (ok) {
    // Append the entries' records (after the partial file's magic line).
    std::ifstream in(partial, std::ios::binary);
    std::ofstream out(*out_path, std::ios::binary | std::ios::app);
    in.seekg(static_cast<std::streamoff>(audit::kBundleMagic.size()));
    out << in.rdbuf();
    out.flush();
    ok = static_cast<bool>(out);
  }
  std::remove(partial.c_str());
  if (!ok) return inv.UsageError(Msg(lang, MsgId::kErrAuditWrite, *out_path));
  google::protobuf::Struct result;
  auto& fields = *result.mutable_fields();
  fields["bundle"].set_string_value(*out_path);
  fields["entries"].set_number_value(static_cast<double>(first.tree_size()));
  fields["checkpoints"].set_number_value(
      static_cast<double>(checkpoints.size()));
  return inv.Print(result, [&] {
    return absl::StrCat(
        Msg(lang, MsgId::kAuditExportDone, *out_path,
            absl::StrCat(first.tree_size()), absl::StrCat(checkpoints.size())),
        "\n");
  });
}

int RunVerify(Invocation& inv) {
  const Lang lang = inv.lang();
  absl::StatusOr<std::vector<std::string>> keys = TrustedKeys(inv, true);
  if (!keys.ok()) return inv.UsageError(keys.status().message());
  if (keys->empty()) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--key"));
  }
  audit::BundleVerdict verdict;
  {
    Progress progress(inv, MsgId::kAuditVerifying);
    verdict = audit::VerifyBundle(
        inv.args()[0], *keys,
        [&](uint64_t done, uint64_t total) { progress.Update(done, total); });
  }
  const absl::StatusCode code = verdict.status.code();
  if (code == absl::StatusCode::kInvalidArgument ||
      code == absl::StatusCode::kNotFound) {
    return inv.UsageError(verdict.status.message());
  }
  google::protobuf::Struct result;
  auto& fields = *result.mutable_fields();
  fields["verified"].set_bool_value(verdict.status.ok());
  fields["entries"].set_number_value(static_cast<double>(verdict.entries));
  fields["checkpoints"].set_number_value(
      static_cast<double>(verdict.checkpoints));
  fields["verified_size"].set_number_value(
      static_cast<double>(verdict.verified_size));
  if (verdict.first_bad_index) {
    fields["first_bad_index"].set_number_value(
        static_cast<double>(*verdict.first_bad_index));
    fields["bad_index_end"].set_number_value(
        static_cast<double>(verdict.bad_index_end));
  }
  if (verdict.bad_checkpoint) {
    fields["bad_checkpoint"].set_number_value(
        static_cast<double>(*verdict.bad_checkpoint));
  }
  if (!verdict.status.ok()) {
    fields["error"].set_string_value(std::string(verdict.status.message()));
  }
  if (inv.json()) {
    int printed = inv.Print(result, [] { return std::string(); });
    if (printed != kExitOk) return printed;
    return verdict.status.ok() ? kExitOk : kExitNotVerified;
  }
  if (!verdict.status.ok()) {
    std::string out =
        Msg(lang, MsgId::kAuditVerifyFailed, verdict.status.message());
    if (verdict.first_bad_index) {
      const uint64_t first = *verdict.first_bad_index;
      absl::StrAppend(
          &out, "\n",
          verdict.bad_index_end == first + 1
              ? Msg(lang, MsgId::kAuditFirstBadIndex, absl::StrCat(first))
              : Msg(lang, MsgId::kAuditFirstBadRange, absl::StrCat(first),
                    absl::StrCat(verdict.bad_index_end - 1)));
    }
    inv.err() << out << "\n";
    return kExitNotVerified;
  }
  inv.out() << Msg(lang, MsgId::kAuditVerifyOk, absl::StrCat(verdict.entries),
                   absl::StrCat(verdict.checkpoints),
                   absl::StrCat(verdict.verified_size))
            << "\n";
  if (verdict.verified_size < verdict.entries) {
    inv.Note(Msg(lang, MsgId::kAuditVerifyUncovered,
                 absl::StrCat(verdict.verified_size)));
  }
  return kExitOk;
}

}  // namespace

void RegisterAuditCommands(CommandRegistry& r) {
  r.AddGroup({{"audit"}, MsgId::kGroupAudit});
  const FlagSpec key =
      Flag("vkey", FlagValue::kText, MsgId::kFlagAuditKey, /*repeatable=*/true);
  r.Add({{"audit", "checkpoint"},
         MsgId::kCmdAuditCheckpoint,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {Flag("refresh", FlagValue::kNone, MsgId::kFlagAuditRefresh)},
         0,
         0,
         RunCheckpoint});
  r.Add({{"audit", "entries"},
         MsgId::kCmdAuditEntries,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {Flag("from", FlagValue::kNumber, MsgId::kFlagAuditFrom),
          Flag("to", FlagValue::kNumber, MsgId::kFlagAuditTo),
          Flag("actor", FlagValue::kText, MsgId::kFlagAuditActor),
          Flag("caller-institution", FlagValue::kText,
               MsgId::kFlagAuditInstitution),
          Flag("method", FlagValue::kText, MsgId::kFlagAuditMethod),
          Flag("resource", FlagValue::kText, MsgId::kFlagAuditResource),
          Flag("outcome", FlagValue::kText, MsgId::kFlagAuditOutcome),
          Flag("since", FlagValue::kTime, MsgId::kFlagAuditSince),
          Flag("until", FlagValue::kTime, MsgId::kFlagAuditUntil),
          Flag("page-size", FlagValue::kNumber, MsgId::kFlagAuditPageSize),
          Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken),
          Flag("all", FlagValue::kNone, MsgId::kFlagAll)},
         0,
         0,
         RunEntries});
  r.Add({{"audit", "prove"},
         MsgId::kCmdAuditProve,
         MsgId::kUsageAuditProve,
         MsgId::kNone,
         {key},
         1,
         1,
         RunProve});
  r.Add({{"audit", "export"},
         MsgId::kCmdAuditExport,
         MsgId::kUsageAuditExport,
         MsgId::kNone,
         {Flag("out", FlagValue::kPath, MsgId::kFlagAuditOut),
          Flag("size", FlagValue::kNumber, MsgId::kFlagAuditSize)},
         0,
         0,
         RunExport});
  r.Add({{"audit", "verify"},
         MsgId::kCmdAuditVerify,
         MsgId::kUsageAuditVerify,
         MsgId::kDetailsAuditVerify,
         {key},
         1,
         1,
         RunVerify});
}

}  // namespace resguardo::cli
