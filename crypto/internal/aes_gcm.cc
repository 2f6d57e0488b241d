#include "crypto/internal/aes_gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace resguardo::crypto::internal {
namespace {

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::Status CheckSizes(absl::string_view nonce, size_t input_size,
                        absl::Span<const absl::string_view> ad_parts) {
  size_t ad_size = 0;
  for (absl::string_view part : ad_parts) {
    if (part.size() > AesGcm256::kMaxInputSize) {
      return absl::InvalidArgumentError("AES-GCM input is too large");
    }
    ad_size += part.size();
  }
  if (nonce.size() != AesGcm256::kNonceSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("AES-GCM nonce must be ", AesGcm256::kNonceSize,
                     " bytes, got ", nonce.size()));
  }
  if (input_size > AesGcm256::kMaxInputSize ||
      ad_size > AesGcm256::kMaxInputSize) {
    return absl::InvalidArgumentError("AES-GCM input is too large");
  }
  return absl::OkStatus();
}

// A fresh context holding a copy of the keyed `base`, with `nonce` set.
absl::StatusOr<CipherCtxPtr> Instantiate(const EVP_CIPHER_CTX* base,
                                         absl::string_view nonce,
                                         bool encrypt) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr || EVP_CIPHER_CTX_copy(ctx.get(), base) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, nullptr, Bytes(nonce),
                        encrypt ? 1 : 0) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "AES-GCM context setup failed");
  }
  return ctx;
}

absl::Status AddAssociatedData(EVP_CIPHER_CTX* ctx,
                               absl::Span<const absl::string_view> parts) {
  for (absl::string_view ad : parts) {
    int unused = 0;
    if (!ad.empty() && EVP_CipherUpdate(ctx, nullptr, &unused, Bytes(ad),
                                        static_cast<int>(ad.size())) != 1) {
      return OpenSslError(absl::StatusCode::kInternal,
                          "AES-GCM associated data failed");
    }
  }
  return absl::OkStatus();
}

// A per-thread batch of RAND_bytes output, in a page the kernel zeroes in a
// forked child (so the child's `available` reads 0).
class NonceBatch {
 public:
  NonceBatch() {
    const long page = sysconf(_SC_PAGESIZE);  // NOLINT(runtime/int)
    size_ = std::max(sizeof(Page), page > 0 ? static_cast<size_t>(page) : 0);
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
#ifdef MADV_WIPEONFORK
    if (madvise(p, size_, MADV_WIPEONFORK) == 0) {
      page_ = static_cast<Page*>(p);
      return;
    }
#endif
    munmap(p, size_);  // no fork protection: do not buffer
  }
  ~NonceBatch() {
    if (page_ != nullptr) munmap(page_, size_);
  }
  NonceBatch(const NonceBatch&) = delete;
  NonceBatch& operator=(const NonceBatch&) = delete;

  absl::Status Next(uint8_t* out) {
    if (page_ == nullptr) {
      if (RAND_bytes(out, AesGcm256::kNonceSize) != 1) return RandFailure();
      return absl::OkStatus();
    }
    if (page_->available < AesGcm256::kNonceSize) {
      page_->available = 0;
      if (RAND_bytes(page_->bytes, sizeof(page_->bytes)) != 1) {
        return RandFailure();
      }
      page_->available = sizeof(page_->bytes);
    }
    const size_t offset = sizeof(page_->bytes) - page_->available;
    std::memcpy(out, page_->bytes + offset, AesGcm256::kNonceSize);
    page_->available -= AesGcm256::kNonceSize;
    return absl::OkStatus();
  }

 private:
  struct Page {
    size_t available;  // unused bytes at the end of `bytes`
    uint8_t bytes[AesGcm256::kNonceSize * 340];
  };
  static absl::Status RandFailure() {
    return OpenSslError(absl::StatusCode::kInternal,
                        "the random number generator failed");
  }

  Page* page_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

absl::Status RandomNonce(absl::Span<uint8_t> out) {
  if (out.size() != AesGcm256::kNonceSize) {
    return absl::InvalidArgumentError("nonce buffer has wrong size");
  }
  thread_local NonceBatch batch;
  return batch.Next(out.data());
}

absl::StatusOr<std::unique_ptr<const AesGcm256>> AesGcm256::New(
    const SecretData& key) {
  if (key.size() != kKeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "AES-256-GCM key must be ", kKeySize, " bytes, got ", key.size()));
  }
  const unsigned char* k = Bytes(key.UnsafeRawBytes());
  CipherCtxPtr enc(EVP_CIPHER_CTX_new());
  CipherCtxPtr dec(EVP_CIPHER_CTX_new());
  if (enc == nullptr || dec == nullptr ||
      EVP_EncryptInit_ex(enc.get(), EVP_aes_256_gcm(), nullptr, k, nullptr) !=
          1 ||
      EVP_DecryptInit_ex(dec.get(), EVP_aes_256_gcm(), nullptr, k, nullptr) !=
          1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "AES-256-GCM key setup failed");
  }
  // The default GCM IV length is 12 bytes; checked here so that a change of
  // default would fail loudly rather than silently hash the nonce.
  if (EVP_CIPHER_CTX_get_iv_length(enc.get()) != kNonceSize) {
    return absl::InternalError("unexpected AES-GCM IV length");
  }
  return std::unique_ptr<const AesGcm256>(
      new AesGcm256(std::move(enc), std::move(dec)));
}

absl::Status AesGcm256::SealInto(
    absl::string_view nonce, absl::string_view plaintext,
    absl::Span<const absl::string_view> associated_data,
    absl::Span<uint8_t> out) const {
  RETURN_IF_ERROR(CheckSizes(nonce, plaintext.size(), associated_data));
  if (out.size() != plaintext.size() + kTagSize) {
    return absl::InvalidArgumentError("AES-GCM output buffer has wrong size");
  }
  ASSIGN_OR_RETURN(CipherCtxPtr ctx,
                   Instantiate(encrypt_.get(), nonce, /*encrypt=*/true));
  RETURN_IF_ERROR(AddAssociatedData(ctx.get(), associated_data));
  int len = 0;
  int final_len = 0;
  // EVP_EncryptUpdate rejects a null output pointer only when len > 0, but an
  // empty plaintext still needs a non-null buffer for Final.
  if ((!plaintext.empty() &&
       EVP_EncryptUpdate(ctx.get(), out.data(), &len, Bytes(plaintext),
                         static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          out.data() + plaintext.size()) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return OpenSslError(absl::StatusCode::kInternal,
                        "AES-GCM encryption failed");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> AesGcm256::Seal(
    absl::string_view nonce, absl::string_view plaintext,
    absl::string_view associated_data) const {
  if (plaintext.size() > kMaxInputSize) {
    return absl::InvalidArgumentError("AES-GCM input is too large");
  }
  std::string out(plaintext.size() + kTagSize, '\0');
  RETURN_IF_ERROR(SealInto(
      nonce, plaintext, {associated_data},
      absl::MakeSpan(reinterpret_cast<uint8_t*>(&out[0]), out.size())));
  return out;
}

absl::Status AesGcm256::OpenInto(
    absl::string_view nonce, absl::string_view ciphertext,
    absl::string_view tag, absl::Span<const absl::string_view> associated_data,
    absl::Span<uint8_t> out) const {
  RETURN_IF_ERROR(CheckSizes(nonce, ciphertext.size(), associated_data));
  if (tag.size() != kTagSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "AES-GCM tag must be ", kTagSize, " bytes, got ", tag.size()));
  }
  if (out.size() != ciphertext.size()) {
    return absl::InvalidArgumentError("AES-GCM output buffer has wrong size");
  }
  ASSIGN_OR_RETURN(CipherCtxPtr ctx,
                   Instantiate(decrypt_.get(), nonce, /*encrypt=*/false));
  RETURN_IF_ERROR(AddAssociatedData(ctx.get(), associated_data));
  // A scratch byte for Final when the ciphertext is empty (GCM writes none).
  uint8_t scratch = 0;
  uint8_t* dst = out.empty() ? &scratch : out.data();
  int len = 0;
  if (!ciphertext.empty() &&
      EVP_DecryptUpdate(ctx.get(), dst, &len, Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return OpenSslError(absl::StatusCode::kInternal,
                        "AES-GCM decryption failed");
  }
  // OpenSSL keeps its own copy of the tag and compares in constant time.
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          const_cast<char*>(tag.data())) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return OpenSslError(absl::StatusCode::kInternal,
                        "AES-GCM tag setup failed");
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), dst + len, &final_len) != 1) {
    // The plaintext was written before the tag was checked: wipe it.
    OPENSSL_cleanse(out.data(), out.size());
    ClearOpenSslErrors();
    return absl::InvalidArgumentError(
        "AES-GCM decryption failed: the tag does not verify (wrong key, "
        "associated data or corrupted ciphertext)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> AesGcm256::Open(
    absl::string_view nonce, absl::string_view ciphertext,
    absl::string_view tag, absl::string_view associated_data) const {
  if (ciphertext.size() > kMaxInputSize) {
    return absl::InvalidArgumentError("AES-GCM input is too large");
  }
  std::string out(ciphertext.size(), '\0');
  RETURN_IF_ERROR(OpenInto(
      nonce, ciphertext, tag, {associated_data},
      absl::MakeSpan(reinterpret_cast<uint8_t*>(&out[0]), out.size())));
  return out;
}

}  // namespace resguardo::crypto::internal
