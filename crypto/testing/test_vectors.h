// Test-only helpers that read the public test vectors (Wycheproof, RFC 6962)
// kept in crypto/testdata/vectors.
#ifndef RESGUARDO_CRYPTO_TESTING_TEST_VECTORS_H_
#define RESGUARDO_CRYPTO_TESTING_TEST_VECTORS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace resguardo::crypto::testing {

// The vectors folder: $RESGUARDO_VECTORS_DIR (set by ctest), else the
// in-tree copy relative to the working directory.
std::string VectorsDir();

// Parses the JSON file at `path` (relative to VectorsDir() unless absolute).
absl::StatusOr<nlohmann::json> ReadJson(absl::string_view path);

// Every regular file under `dir` (relative to VectorsDir()) whose name ends in
// ".json", recursively, sorted, as absolute paths (ReadJson takes them).
std::vector<std::string> ListJsonFiles(absl::string_view dir);

// Hex to bytes; dies (test helper) on malformed input.
std::string HexToBytes(absl::string_view hex);
// Standard base64 to bytes; dies on malformed input.
std::string Base64ToBytes(absl::string_view b64);

}  // namespace resguardo::crypto::testing

#endif  // RESGUARDO_CRYPTO_TESTING_TEST_VECTORS_H_
