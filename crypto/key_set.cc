#include "crypto/key_set.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "crypto/internal/byte_encoding.h"
#include "openssl/crypto.h"

namespace resguardo::crypto {
namespace {

constexpr absl::string_view kMagic = "RGKS";
constexpr char kVersion = 0x01;
constexpr absl::string_view kContext = "resguardo.key-set.v1";
constexpr size_t kMaxMasters = 2;

absl::Status Malformed(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("the key set file is damaged: ", what));
}

// Reads the encoding of key_set.h from a byte string.
class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }
  absl::StatusOr<uint32_t> U32() {
    if (in_.size() < 4) return Malformed("truncated");
    const uint32_t v = internal::LoadBigEndian32(in_.data());
    in_.remove_prefix(4);
    return v;
  }
  absl::StatusOr<absl::string_view> Bytes(size_t n) {
    if (in_.size() < n) return Malformed("truncated");
    absl::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }
  absl::StatusOr<absl::string_view> Prefixed() {
    ASSIGN_OR_RETURN(uint32_t n, U32());
    return Bytes(n);
  }

 private:
  absl::string_view in_;
};

std::string AssociatedData(absl::string_view master_id) {
  std::string ad;
  internal::AppendLengthPrefixed(kContext, &ad);
  internal::AppendLengthPrefixed(master_id, &ad);
  return ad;
}

struct Wrapping {
  absl::string_view master_id;
  absl::string_view wrapped;
};

absl::StatusOr<std::vector<Wrapping>> Parse(absl::string_view file) {
  Reader r(file);
  ASSIGN_OR_RETURN(absl::string_view magic, r.Bytes(kMagic.size() + 2));
  if (magic.substr(0, kMagic.size()) != kMagic) {
    return Malformed("it is not a key set");
  }
  if (magic[kMagic.size()] != kVersion) {
    return Malformed(absl::StrCat("unknown version ",
                                  static_cast<int>(magic[kMagic.size()])));
  }
  const size_t n = static_cast<unsigned char>(magic[kMagic.size() + 1]);
  if (n == 0 || n > kMaxMasters) return Malformed("bad number of wrappings");
  std::vector<Wrapping> out;
  for (size_t i = 0; i < n; ++i) {
    Wrapping w;
    ASSIGN_OR_RETURN(w.master_id, r.Prefixed());
    ASSIGN_OR_RETURN(w.wrapped, r.Prefixed());
    out.push_back(w);
  }
  if (!r.done()) return Malformed("trailing bytes");
  return out;
}

}  // namespace

const SecretData* KeySet::Find(absl::string_view label,
                               uint32_t generation) const {
  auto it = keys_.find({std::string(label), generation});
  return it == keys_.end() ? nullptr : &it->second;
}

void KeySet::Put(absl::string_view label, uint32_t generation, SecretData key) {
  keys_.insert_or_assign({std::string(label), generation}, std::move(key));
}

void KeySet::Erase(absl::string_view label, uint32_t generation) {
  keys_.erase({std::string(label), generation});
}

KeySet KeySet::Clone() const {
  KeySet out;
  for (const auto& [name, key] : keys_) out.keys_.emplace(name, key.Clone());
  return out;
}

bool KeySet::SameKeys(const KeySet& other) const {
  if (keys_.size() != other.keys_.size()) return false;
  bool same = true;
  for (auto a = keys_.begin(), b = other.keys_.begin(); a != keys_.end();
       ++a, ++b) {
    same = same && a->first == b->first && a->second.Equals(b->second);
  }
  return same;
}

absl::StatusOr<std::string> KeySet::Seal(
    absl::Span<const FileKeyProvider* const> masters) const {
  if (masters.empty() || masters.size() > kMaxMasters) {
    return absl::InvalidArgumentError("a key set has one or two wrappings");
  }
  std::string plain;
  internal::AppendBigEndian32(static_cast<uint32_t>(keys_.size()), &plain);
  for (const auto& [name, key] : keys_) {
    internal::AppendLengthPrefixed(name.first, &plain);
    internal::AppendBigEndian32(name.second, &plain);
    internal::AppendLengthPrefixed(key.UnsafeRawBytes(), &plain);
  }
  std::string file(kMagic);
  file.push_back(kVersion);
  file.push_back(static_cast<char>(masters.size()));
  absl::Status status;
  for (const FileKeyProvider* master : masters) {
    absl::StatusOr<std::string> wrapped =
        master->Wrap(plain, AssociatedData(master->key_id()));
    if (!wrapped.ok()) {
      status = wrapped.status();
      break;
    }
    internal::AppendLengthPrefixed(master->key_id(), &file);
    internal::AppendLengthPrefixed(*wrapped, &file);
  }
  OPENSSL_cleanse(plain.data(), plain.size());
  RETURN_IF_ERROR(status);
  return file;
}

absl::StatusOr<std::vector<std::string>> KeySet::MasterKeyIds(
    absl::string_view file) {
  ASSIGN_OR_RETURN(std::vector<Wrapping> wrappings, Parse(file));
  std::vector<std::string> ids;
  for (const Wrapping& w : wrappings) ids.emplace_back(w.master_id);
  return ids;
}

absl::StatusOr<KeySet> KeySet::Open(absl::string_view file,
                                    const FileKeyProvider& master) {
  ASSIGN_OR_RETURN(std::vector<Wrapping> wrappings, Parse(file));
  const Wrapping* mine = nullptr;
  std::vector<absl::string_view> ids;
  for (const Wrapping& w : wrappings) {
    ids.push_back(w.master_id);
    if (w.master_id == master.key_id()) mine = &w;
  }
  if (mine == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the key set is wrapped under master key id ", absl::StrJoin(ids, ", "),
        ", not under this master key (id ", master.key_id(), ")"));
  }
  absl::StatusOr<SecretData> plain =
      master.Unwrap(mine->wrapped, AssociatedData(mine->master_id));
  if (!plain.ok()) {
    return Malformed(absl::StrCat("its wrapping under master key id ",
                                  master.key_id(), " does not authenticate"));
  }
  Reader r(plain->UnsafeRawBytes());
  KeySet out;
  ASSIGN_OR_RETURN(uint32_t count, r.U32());
  for (uint32_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(absl::string_view label, r.Prefixed());
    ASSIGN_OR_RETURN(uint32_t generation, r.U32());
    ASSIGN_OR_RETURN(absl::string_view key, r.Prefixed());
    out.Put(label, generation, SecretData(key));
  }
  if (!r.done()) return Malformed("trailing bytes in its keys");
  return out;
}

}  // namespace resguardo::crypto
