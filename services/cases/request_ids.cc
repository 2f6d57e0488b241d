#include "services/cases/request_ids.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

constexpr uint32_t kFingerprintGeneration = 1;

absl::StatusOr<std::string> Fingerprint(const crypto::SecretData& key,
                                        absl::string_view method,
                                        const google::protobuf::Message& m) {
  // Deterministic: the same message serializes to the same bytes (maps in
  // key order); a retry sends the same message.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    if (!m.SerializeToCodedStream(&coded)) {
      return absl::InternalError("could not serialize a request");
    }
  }
  const std::string input = absl::StrCat(method, std::string(1, '\0'), bytes);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const absl::string_view k = key.UnsafeRawBytes();
  if (HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(),
           mac, &mac_size) == nullptr ||
      mac_size != 32) {
    return absl::InternalError("could not compute a request fingerprint");
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestIds>> RequestIds::New(
    const crypto::KeyProvider& keys) {
  ASSIGN_OR_RETURN(crypto::SecretData key,
                   keys.DeriveKey(crypto::KeyPurpose::kRequestFingerprint,
                                  kFingerprintGeneration));
  return std::unique_ptr<RequestIds>(new RequestIds(std::move(key)));
}

absl::StatusOr<RequestIds::Use> RequestIds::Find(
    store::ReadTxn& txn, const auth::Principal& caller,
    absl::string_view method, const google::protobuf::Message& request,
    absl::string_view request_id) const {
  Use use;
  if (request_id.empty()) return use;
  use.request_id = std::string(request_id);
  use.method = std::string(method);
  ASSIGN_OR_RETURN(use.fingerprint, Fingerprint(key_, method, request));
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare("SELECT method, fingerprint, resource FROM request_ids "
                  "WHERE institution = ?1 AND user_id = ?2 AND "
                  "request_id = ?3"));
  RETURN_IF_ERROR(q.BindText(1, caller.institution));
  RETURN_IF_ERROR(q.BindText(2, caller.user));
  RETURN_IF_ERROR(q.BindText(3, request_id));
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return use;
  ASSIGN_OR_RETURN(absl::string_view stored_method, q.ColumnText(0));
  ASSIGN_OR_RETURN(absl::string_view stored_fingerprint, q.ColumnBlob(1));
  // Constant time is not needed (the caller learns only same or not, which
  // the answer tells anyway), but it costs nothing.
  if (stored_method != method ||
      stored_fingerprint.size() != use.fingerprint.size() ||
      CRYPTO_memcmp(stored_fingerprint.data(), use.fingerprint.data(),
                    use.fingerprint.size()) != 0) {
    api::FieldViolations v;
    v.Add("request_id", api::ErrorId::kRequestIdReused);
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(absl::string_view resource, q.ColumnText(2));
  use.resource = std::string(resource);
  return use;
}

absl::Status RequestIds::Record(store::WriteTxn& txn,
                                const auth::Principal& caller, const Use& use,
                                absl::string_view resource) {
  if (use.request_id.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      store::Statement insert,
      txn.Prepare("INSERT INTO request_ids(institution, user_id, request_id, "
                  "method, fingerprint, resource) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6)"));
  RETURN_IF_ERROR(insert.BindText(1, caller.institution));
  RETURN_IF_ERROR(insert.BindText(2, caller.user));
  RETURN_IF_ERROR(insert.BindText(3, use.request_id));
  RETURN_IF_ERROR(insert.BindText(4, use.method));
  RETURN_IF_ERROR(insert.BindBlob(5, use.fingerprint));
  RETURN_IF_ERROR(insert.BindText(6, resource));
  return insert.Run();
}

}  // namespace resguardo::cases
