// SecretData: a byte buffer for key material that is wiped when it dies.
//
// Keys never travel as std::string: a SecretData cleanses its memory
// (OPENSSL_cleanse) on destruction and on move-from, compares in constant time
// (CRYPTO_memcmp), and prints as "<redacted>". Its bytes are reachable only
// through UnsafeRawBytes(), a name that stands out in review; only crypto/
// should call it.
//
// Memory. Once ProtectKeyMemory() has run (resguardod calls it at start),
// the bytes live in one reserved arena (OpenSSL's secure heap, which also
// holds OpenSSL's own private keys) that is left out of core dumps
// (MADV_DONTDUMP) and locked in RAM (never swapped) where RLIMIT_MEMLOCK or
// CAP_IPC_LOCK allows. Before it, or when the arena is full, they come from
// the ordinary heap (still wiped). Keys that OpenSSL expands from these bytes
// (AES key schedules in cipher contexts) live in its ordinary heap: core
// dumps are off for the whole process anyway (base/process_hardening.h).
//
// Thread safety: like std::string; const methods may be called concurrently.
#ifndef RESGUARDO_CRYPTO_SECRET_DATA_H_
#define RESGUARDO_CRYPTO_SECRET_DATA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::crypto {

class SecretData {
 public:
  SecretData() = default;
  // Copies `bytes`; the caller remains responsible for wiping its own copy.
  explicit SecretData(absl::string_view bytes);
  ~SecretData();

  SecretData(SecretData&& other) noexcept;
  SecretData& operator=(SecretData&& other) noexcept;
  // Copies are explicit (Clone) so that key material is not duplicated by
  // accident.
  SecretData(const SecretData&) = delete;
  SecretData& operator=(const SecretData&) = delete;

  // `size` bytes from OpenSSL's CSPRNG. Returns INTERNAL if it fails,
  // INVALID_ARGUMENT if `size` exceeds INT_MAX (RAND_bytes' limit).
  static absl::StatusOr<SecretData> Random(size_t size);

  // Reserves `arena_bytes` (a power of two) for key material, as described
  // above. Call once, at start, before other threads exist. Returns whether
  // the arena is locked in RAM (false: RLIMIT_MEMLOCK too small; it is still
  // kept out of dumps). FAILED_PRECONDITION if the arena cannot be reserved
  // or was reserved already.
  static absl::StatusOr<bool> ProtectKeyMemory(size_t arena_bytes = 1 << 20);

  SecretData Clone() const { return SecretData(UnsafeRawBytes()); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Constant-time in the length of the shorter buffer; different sizes are
  // unequal.
  bool Equals(const SecretData& other) const;

  // The raw key bytes. For crypto/ internals that hand them to OpenSSL.
  absl::string_view UnsafeRawBytes() const {
    return absl::string_view(reinterpret_cast<const char*>(data_.get()), size_);
  }
  // Writable access for code that fills a buffer in place (OpenSSL outputs).
  uint8_t* UnsafeMutableData() { return data_.get(); }

  // Wipes and releases the bytes now; the object becomes empty.
  void Destroy();

 private:
  struct Deleter {
    size_t size;
    void operator()(uint8_t* p) const;
  };
  explicit SecretData(size_t size);

  std::unique_ptr<uint8_t[], Deleter> data_{nullptr, Deleter{0}};
  size_t size_ = 0;
};

inline std::ostream& operator<<(std::ostream& os, const SecretData&) {
  return os << "<redacted>";
}

// Constant-time equality of two byte strings (tags, MACs, hashes).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_SECRET_DATA_H_
