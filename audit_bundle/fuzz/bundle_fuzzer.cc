// Feeds arbitrary bytes, after the bundle magic line, to the offline bundle
// verifier with a fixed trusted key. Nothing may crash, leak or read out of
// bounds, and a verdict must be an error unless the bytes verify.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "audit_bundle/bundle_verifier.h"

namespace {

// The key of the example in golang.org/x/mod/sumdb/note: any well-formed key
// will do, and corpus seeds can carry notes it signed.
constexpr char kVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(resguardo::audit::kBundleMagic);
  bytes.append(reinterpret_cast<const char*>(data), size);
  std::istringstream in(bytes);
  const std::string keys[] = {kVerifierKey};
  resguardo::audit::BundleVerdict verdict =
      resguardo::audit::VerifyBundleStream(in, keys);
  // A bundle that verifies has a checkpoint and covers no more entries than
  // it read.
  if (verdict.status.ok() &&
      (verdict.checkpoints == 0 || verdict.verified_size > verdict.entries)) {
    std::abort();
  }
  return 0;
}
