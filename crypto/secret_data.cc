#include "crypto/secret_data.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <limits>
#include <utility>

#include "absl/status/status.h"

namespace resguardo::crypto {

namespace {

// From the protected arena when there is one and it has room, else from the
// heap; Deleter tells them apart.
uint8_t* Allocate(size_t size) {
  if (size == 0) return nullptr;
  if (CRYPTO_secure_malloc_initialized()) {
    if (void* p = OPENSSL_secure_malloc(size)) return static_cast<uint8_t*>(p);
  }
  return new uint8_t[size];
}

}  // namespace

void SecretData::Deleter::operator()(uint8_t* p) const {
  if (p == nullptr) return;
  if (CRYPTO_secure_allocated(p)) {
    OPENSSL_secure_clear_free(p, size);  // cleanses, then frees
    return;
  }
  OPENSSL_cleanse(p, size);
  delete[] p;
}

absl::StatusOr<bool> SecretData::ProtectKeyMemory(size_t arena_bytes) {
  if (CRYPTO_secure_malloc_initialized()) {
    return absl::FailedPreconditionError(
        "the protected key memory is reserved already");
  }
  // 32 bytes: the smallest block, the size of a key.
  const int reserved = CRYPTO_secure_malloc_init(arena_bytes, 32);
  if (reserved == 0) {
    return absl::FailedPreconditionError(
        "cannot reserve protected memory for keys (OpenSSL secure heap)");
  }
  // 2: reserved, but mlock (or madvise) failed.
  return reserved == 1;
}

SecretData::SecretData(size_t size)
    : data_(Allocate(size), Deleter{size}), size_(size) {}

SecretData::SecretData(absl::string_view bytes) : SecretData(bytes.size()) {
  if (size_) std::memcpy(data_.get(), bytes.data(), size_);
}

SecretData::~SecretData() = default;

SecretData::SecretData(SecretData&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_) {
  other.data_ = {nullptr, Deleter{0}};
  other.size_ = 0;
}

SecretData& SecretData::operator=(SecretData&& other) noexcept {
  if (this != &other) {
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.data_ = {nullptr, Deleter{0}};
    other.size_ = 0;
  }
  return *this;
}

absl::StatusOr<SecretData> SecretData::Random(size_t size) {
  // RAND_bytes takes an int; a larger size would be truncated and leave
  // uninitialised bytes in the key.
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("requested random key is too large");
  }
  SecretData out(size);
  if (size > 0 && RAND_bytes(out.data_.get(), static_cast<int>(size)) != 1) {
    return absl::InternalError("the random number generator failed");
  }
  return out;
}

bool SecretData::Equals(const SecretData& other) const {
  return ConstantTimeEquals(UnsafeRawBytes(), other.UnsafeRawBytes());
}

void SecretData::Destroy() {
  data_.reset();
  data_ = {nullptr, Deleter{0}};
  size_ = 0;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace resguardo::crypto
