#include "crypto/testing/test_vectors.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace resguardo::crypto::testing {

std::string VectorsDir() {
  const char* dir = std::getenv("RESGUARDO_VECTORS_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return "crypto/testdata/vectors";
}

absl::StatusOr<nlohmann::json> ReadJson(absl::string_view path) {
  std::filesystem::path p(std::string{path});
  if (p.is_relative()) p = std::filesystem::path(VectorsDir()) / p;
  std::ifstream in(p);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", p.string()));
  std::stringstream buf;
  buf << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(buf.str(), nullptr,
                                           /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat("bad JSON in ", p.string()));
  }
  return j;
}

std::vector<std::string> ListJsonFiles(absl::string_view dir) {
  std::vector<std::string> out;
  std::filesystem::path root =
      std::filesystem::path(VectorsDir()) / std::string(dir);
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && absl::EndsWith(it->path().string(), ".json")) {
      out.push_back(std::filesystem::absolute(it->path()).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string HexToBytes(absl::string_view hex) {
  if (hex.size() % 2 != 0 || !std::all_of(hex.begin(), hex.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      })) {
    std::cerr << "malformed hex in a test vector\n";
    std::abort();
  }
  return absl::HexStringToBytes(hex);
}

std::string Base64ToBytes(absl::string_view b64) {
  std::string out;
  if (!absl::Base64Unescape(b64, &out)) {
    std::cerr << "malformed base64 in a test vector\n";
    std::abort();
  }
  return out;
}

}  // namespace resguardo::crypto::testing
