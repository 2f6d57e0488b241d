#include "crypto/signed_note.h"

#include <openssl/evp.h>

#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/internal/openssl_util.h"

namespace resguardo::crypto {
namespace {

constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // "— "
constexpr size_t kKeyIdSize = 4;

// Decodes the UTF-8 sequence at the start of `s` (strict: no overlong forms,
// no surrogates, nothing above U+10FFFF). Returns its length and sets `*cp`,
// or returns 0 for an invalid sequence.
size_t DecodeUtf8(absl::string_view s, uint32_t* cp) {
  const auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  if (s.empty()) return 0;
  const uint8_t c0 = b(0);
  if (c0 < 0x80) {
    *cp = c0;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((c0 & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
    *cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
    *cp = c0 & 0x0F;
  } else if ((c0 & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
    *cp = c0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(i) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || cp == 0x7F; }

// Unicode White_Space (as Go's unicode.IsSpace).
bool IsSpace(uint32_t cp) {
  switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// Strict standard base64 (padded, canonical): decoding then encoding gives
// the input back.
bool StrictBase64Decode(absl::string_view in, std::string* out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  if (!absl::Base64Unescape(in, out)) return false;
  return absl::Base64Escape(*out) == in;
}

std::string KeyIdBytes(uint32_t id) {
  std::string out(kKeyIdSize, '\0');
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    out[i] = static_cast<char>((id >> (8 * (kKeyIdSize - 1 - i))) & 0xFF);
  }
  return out;
}

uint32_t KeyIdFromBytes(absl::string_view b) {
  uint32_t id = 0;
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    id = (id << 8) | static_cast<uint8_t>(b[i]);
  }
  return id;
}

std::string FormatVerifierKey(absl::string_view name, uint32_t key_id,
                              absl::string_view public_key) {
  std::string key(1, static_cast<char>(kNoteAlgEd25519));
  key.append(public_key.data(), public_key.size());
  return absl::StrCat(name, "+", absl::Hex(key_id, absl::kZeroPad8), "+",
                      absl::Base64Escape(key));
}

bool ParseHexKeyId(absl::string_view hex, uint32_t* id) {
  if (hex.size() != 2 * kKeyIdSize) return false;
  uint32_t v = 0;
  for (char c : hex) {
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = (v << 4) | d;
  }
  *id = v;
  return true;
}

}  // namespace

uint32_t NoteKeyId(absl::string_view name, absl::string_view public_key) {
  std::string input = absl::StrCat(name, "\n");
  input.push_back(static_cast<char>(kNoteAlgEd25519));
  input.append(public_key.data(), public_key.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // SHA-256 of a few dozen bytes fails only if OpenSSL cannot allocate; a
  // zero id then matches no real key and every verification fails closed.
  if (EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(),
                 nullptr) != 1) {
    internal::ClearOpenSslErrors();
    return 0;
  }
  return KeyIdFromBytes(
      absl::string_view(reinterpret_cast<const char*>(digest), kKeyIdSize));
}

absl::Status CheckNoteKeyName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("key name is empty");
  while (!name.empty()) {
    uint32_t cp;
    const size_t n = DecodeUtf8(name, &cp);
    if (n == 0) {
      return absl::InvalidArgumentError("key name is not valid UTF-8");
    }
    if (cp == '+' || IsSpace(cp) || IsControl(cp)) {
      return absl::InvalidArgumentError(
          "key name contains '+', white space or a control character");
    }
    name.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::Status CheckNoteText(absl::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError("note text must end in a newline");
  }
  size_t offset = 0;
  while (offset < text.size()) {
    uint32_t cp;
    const size_t n = DecodeUtf8(text.substr(offset), &cp);
    if (n == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("note is not valid UTF-8 at byte ", offset));
    }
    if (cp != '\n' && IsControl(cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat("note has a control character at byte ", offset));
    }
    offset += n;
  }
  return absl::OkStatus();
}

NoteSigner::NoteSigner(std::string name, std::unique_ptr<Ed25519Signer> signer)
    : name_(std::move(name)),
      key_id_(NoteKeyId(name_, signer->PublicKey())),
      signer_(std::move(signer)) {}

absl::StatusOr<std::unique_ptr<NoteSigner>> NoteSigner::New(
    absl::string_view name, std::unique_ptr<Ed25519Signer> signer) {
  RETURN_IF_ERROR(CheckNoteKeyName(name));
  if (signer == nullptr) return absl::InvalidArgumentError("null signer");
  return std::unique_ptr<NoteSigner>(
      new NoteSigner(std::string(name), std::move(signer)));
}

std::string NoteSigner::VerifierKey() const {
  return FormatVerifierKey(name_, key_id_, signer_->PublicKey());
}

absl::StatusOr<std::string> NoteSigner::Sign(absl::string_view text) const {
  return signer_->Sign(text);
}

NoteVerifier::NoteVerifier(std::string name,
                           std::unique_ptr<Ed25519Verifier> verifier)
    : name_(std::move(name)),
      key_id_(NoteKeyId(name_, verifier->PublicKey())),
      verifier_(std::move(verifier)) {}

absl::StatusOr<std::unique_ptr<NoteVerifier>> NoteVerifier::New(
    absl::string_view name, absl::string_view public_key) {
  RETURN_IF_ERROR(CheckNoteKeyName(name));
  ASSIGN_OR_RETURN(std::unique_ptr<Ed25519Verifier> verifier,
                   Ed25519Verifier::New(public_key));
  return std::unique_ptr<NoteVerifier>(
      new NoteVerifier(std::string(name), std::move(verifier)));
}

absl::StatusOr<std::unique_ptr<NoteVerifier>> NoteVerifier::FromVerifierKey(
    absl::string_view vkey) {
  const size_t plus1 = vkey.find('+');
  const size_t plus2 =
      plus1 == absl::string_view::npos ? plus1 : vkey.find('+', plus1 + 1);
  if (plus2 == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "verifier key must be <name>+<key id>+<key>");
  }
  const absl::string_view name = vkey.substr(0, plus1);
  const absl::string_view hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  const absl::string_view b64 = vkey.substr(plus2 + 1);
  RETURN_IF_ERROR(CheckNoteKeyName(name));
  uint32_t key_id;
  if (!ParseHexKeyId(hex, &key_id)) {
    return absl::InvalidArgumentError(
        "verifier key id must be 8 hexadecimal digits");
  }
  std::string key;
  if (!StrictBase64Decode(b64, &key)) {
    return absl::InvalidArgumentError("verifier key is not valid base64");
  }
  if (key.empty() || static_cast<uint8_t>(key[0]) != kNoteAlgEd25519) {
    return absl::InvalidArgumentError(
        "verifier key algorithm is not Ed25519 (0x01)");
  }
  const absl::string_view public_key = absl::string_view(key).substr(1);
  if (public_key.size() != Ed25519Signer::kPublicKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key must hold a ", Ed25519Signer::kPublicKeySize,
                     "-byte Ed25519 key, got ", public_key.size(), " bytes"));
  }
  if (NoteKeyId(name, public_key) != key_id) {
    return absl::InvalidArgumentError(
        "verifier key id does not match its name and key");
  }
  return New(name, public_key);
}

std::string NoteVerifier::VerifierKey() const {
  return FormatVerifierKey(name_, key_id_, verifier_->PublicKey());
}

absl::Status NoteVerifier::Verify(absl::string_view text,
                                  absl::string_view signature) const {
  if (signature.size() != Ed25519Signer::kSignatureSize) {
    return absl::UnauthenticatedError(
        absl::StrCat("signature by key ", name_, " has the wrong size"));
  }
  absl::Status status = verifier_->Verify(signature, text);
  if (!status.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("signature by key ", name_, " does not verify"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SignNote(
    absl::string_view text, absl::Span<const NoteSigner* const> signers) {
  RETURN_IF_ERROR(CheckNoteText(text));
  if (signers.empty()) {
    return absl::InvalidArgumentError("a note needs at least one signer");
  }
  if (signers.size() > kMaxNoteSignatures) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a note carries at most ", kMaxNoteSignatures, " signatures"));
  }
  std::string note(text);
  note.push_back('\n');
  for (const NoteSigner* signer : signers) {
    if (signer == nullptr) return absl::InvalidArgumentError("null signer");
    ASSIGN_OR_RETURN(std::string signature, signer->Sign(text));
    absl::StrAppend(&note, kSignaturePrefix, signer->name(), " ",
                    absl::Base64Escape(
                        absl::StrCat(KeyIdBytes(signer->key_id()), signature)),
                    "\n");
  }
  return note;
}

absl::StatusOr<OpenedNote> OpenNote(
    absl::string_view note, absl::Span<const NoteVerifier* const> known) {
  absl::flat_hash_map<std::pair<std::string, uint32_t>, const NoteVerifier*>
      verifiers;
  for (const NoteVerifier* v : known) {
    if (v == nullptr) return absl::InvalidArgumentError("null verifier");
    if (!verifiers.emplace(std::make_pair(v->name(), v->key_id()), v).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two known verifiers share name ", v->name(), " and key id ",
          absl::Hex(v->key_id(), absl::kZeroPad8)));
    }
  }

  // The whole note obeys the text rules; the blank line before the signature
  // block is the last one in it (signature lines are never empty).
  RETURN_IF_ERROR(CheckNoteText(note));
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "note has no blank line before its signatures");
  }
  OpenedNote opened;
  opened.text = std::string(note.substr(0, split + 1));
  absl::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) {
    return absl::InvalidArgumentError("note has no signature lines");
  }

  std::set<std::pair<std::string, uint32_t>> seen_verified;
  std::set<absl::string_view> seen_unknown;
  size_t count = 0;
  while (!sigs.empty()) {
    // `sigs` ends in "\n" (CheckNoteText), so every line is terminated.
    const size_t eol = sigs.find('\n');
    absl::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (++count > kMaxNoteSignatures) {
      return absl::InvalidArgumentError(absl::StrCat(
          "note has more than ", kMaxNoteSignatures, " signatures"));
    }
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return absl::InvalidArgumentError(
          "signature line does not start with \"\xE2\x80\x94 \"");
    }
    const absl::string_view body = line.substr(kSignaturePrefix.size());
    const size_t space = body.find(' ');
    if (space == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "signature line must be \"\xE2\x80\x94 <name> <base64>\"");
    }
    const absl::string_view name = body.substr(0, space);
    const absl::string_view b64 = body.substr(space + 1);
    RETURN_IF_ERROR(CheckNoteKeyName(name));
    std::string raw;
    if (!StrictBase64Decode(b64, &raw)) {
      return absl::InvalidArgumentError("signature is not valid base64");
    }
    if (raw.size() <= kKeyIdSize) {
      return absl::InvalidArgumentError(
          "signature is too short to hold a key id and a signature");
    }
    const uint32_t key_id = KeyIdFromBytes(raw);
    auto key = std::make_pair(std::string(name), key_id);
    auto it = verifiers.find(key);
    if (it == verifiers.end()) {
      if (seen_unknown.insert(line).second) {
        opened.unknown.push_back(NoteSignature{std::string(name), key_id});
      }
      continue;
    }
    // Unlike Go's note.Open, a repeated signature by a known key is verified
    // too: a note carrying any bad signature by a key we trust is refused.
    RETURN_IF_ERROR(it->second->Verify(
        opened.text, absl::string_view(raw).substr(kKeyIdSize)));
    if (seen_verified.insert(key).second) {
      opened.verified.push_back(NoteSignature{std::string(name), key_id});
    }
  }
  if (opened.verified.empty()) {
    return absl::UnauthenticatedError("note is not signed by any known key");
  }
  return opened;
}

}  // namespace resguardo::crypto
