#include "services/registry/registry_export.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/ed25519.h"
#include "crypto/publication_note.h"
#include "google/protobuf/descriptor.h"
#include "resguardo/v1/labels.pb.h"
#include "services/api/timestamps.h"

namespace resguardo::registry {
namespace {

constexpr uint32_t kPublicationGeneration = 1;

// The Spanish label of `value` in `type` (empty for UNSPECIFIED).
std::string Label(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v =
      type->FindValueByNumber(value);
  if (v == nullptr || value == 0) return "";
  return v->options().GetExtension(v1::label).es();
}

template <typename Repeated>
std::string Labels(const google::protobuf::EnumDescriptor* type,
                   const Repeated& values) {
  std::vector<std::string> out;
  for (int v : values) out.push_back(Label(type, v));
  return absl::StrJoin(out, "; ");
}

std::string IsoDate(const google::type::Date& d) {
  if (d.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string StateName(absl::string_view code) {
  int number = 0;
  if (code.size() != 2 || !absl::SimpleAtoi(code, &number)) return "";
  return Label(v1::State_descriptor(), number);
}

// The cells of an entry, in kColumns order.
std::vector<std::string> Cells(const v1::RegistryEntry& e) {
  return {e.person_name(),
          Label(v1::SanctionedPersonSex_descriptor(), e.sex()),
          e.position(),
          Label(v1::Candidacy_descriptor(), e.candidacy()),
          Label(v1::TerritorialLevel_descriptor(), e.territorial_level()),
          StateName(e.state_code()),
          e.sanctioning_authority(),
          e.file_number(),
          Labels(v1::Conduct_descriptor(), e.conducts()),
          Label(v1::FaultQualification_descriptor(), e.qualification()),
          e.repeat_offence() ? "Sí" : "No",
          Labels(v1::SanctionType_descriptor(), e.sanctions()),
          absl::StrCat("P", e.term().years(), "Y", e.term().months(), "M",
                       e.term().days(), "D"),
          IsoDate(e.start_date()),
          IsoDate(e.end_date()),
          Labels(v1::SelfIdentification_descriptor(),
                 e.victim_intersectionality())};
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; a
// leading =, +, - or @ gets an apostrophe so that no spreadsheet runs it.
std::string CsvCell(absl::string_view text) {
  std::string cell(text);
  if (!cell.empty() &&
      (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) {
    cell.insert(0, "'");
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

const char* const kColumns[16] = {"nombre",
                                  "sexo",
                                  "cargo",
                                  "candidatura",
                                  "ambito_territorial",
                                  "entidad",
                                  "autoridad_sancionadora",
                                  "expediente",
                                  "conductas",
                                  "calificacion",
                                  "reincidencia",
                                  "sanciones",
                                  "temporalidad",
                                  "fecha_inicio",
                                  "fecha_fin",
                                  "categoria_interseccional_victima"};

std::string PublicationOrigin(absl::string_view trust_domain) {
  return absl::StrCat(trust_domain, "/registry");
}

std::string RenderCsv(absl::Span<const v1::RegistryEntry> entries) {
  std::string out = absl::StrCat(absl::StrJoin(kColumns, ","), "\r\n");
  for (const v1::RegistryEntry& e : entries) {
    std::vector<std::string> cells = Cells(e);
    for (std::string& cell : cells) cell = CsvCell(cell);
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  }
  return out;
}

std::string RenderJson(absl::Span<const v1::RegistryEntry> entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::vector<std::string> cells = Cells(entries[i]);
    absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "  {");
    for (size_t c = 0; c < cells.size(); ++c) {
      absl::StrAppend(&out, c == 0 ? "" : ", ", JsonString(kColumns[c]), ": ",
                      JsonString(cells[c]));
    }
    out += "}";
  }
  out += entries.empty() ? "]\n" : "\n]\n";
  return out;
}

absl::StatusOr<std::unique_ptr<RegistryPublisher>> RegistryPublisher::New(
    const crypto::KeyProvider& keys, absl::string_view origin,
    const Clock* clock) {
  if (clock == nullptr) {
    return absl::InvalidArgumentError("RegistryPublisher needs a clock");
  }
  ASSIGN_OR_RETURN(
      crypto::SecretData seed,
      keys.DeriveKey(crypto::KeyPurpose::kPublication, kPublicationGeneration));
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Ed25519Signer> ed,
                   crypto::Ed25519Signer::New(seed));
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::NoteSigner> signer,
                   crypto::NoteSigner::New(origin, std::move(ed)));
  return std::unique_ptr<RegistryPublisher>(
      new RegistryPublisher(std::move(signer), clock));
}

absl::StatusOr<v1::RegistryExport> RegistryPublisher::Publish(
    absl::Span<const v1::RegistryEntry> entries) const {
  const absl::Time now = absl::FromUnixSeconds(
      absl::ToUnixSeconds(clock_->Now()));  // whole seconds, as signed
  const std::string stem = absl::StrCat(
      "registro-", absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone()));
  v1::RegistryExport out;
  out.set_csv(RenderCsv(entries));
  out.set_json(RenderJson(entries));
  out.set_csv_file_name(absl::StrCat(stem, ".csv"));
  out.set_json_file_name(absl::StrCat(stem, ".json"));
  crypto::Publication publication;
  publication.origin = origin();
  publication.time = now;
  publication.files = {crypto::DescribeFile(out.csv_file_name(), out.csv()),
                       crypto::DescribeFile(out.json_file_name(), out.json())};
  const crypto::NoteSigner* signers[] = {signer_.get()};
  ASSIGN_OR_RETURN(*out.mutable_signed_note(),
                   crypto::SignPublication(publication, signers));
  out.set_verifier_key(VerifierKey());
  *out.mutable_publish_time() = api::ToTimestamp(absl::ToUnixMicros(now));
  out.set_entry_count(static_cast<int32_t>(entries.size()));
  return out;
}

}  // namespace resguardo::registry
