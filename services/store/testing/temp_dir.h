// TempDir: a fresh directory (mkdtemp) for a test's files, removed with its
// contents when the object dies. Under $TEST_TMPDIR if set, else /tmp.
#ifndef RESGUARDO_SERVICES_STORE_TESTING_TEMP_DIR_H_
#define RESGUARDO_SERVICES_STORE_TESTING_TEMP_DIR_H_

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace resguardo::store::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string templ = absl::StrCat(base != nullptr ? base : "/tmp",
                                     "/resguardo_store_XXXXXX");
    if (mkdtemp(templ.data()) != nullptr) path_ = templ;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  // Empty if mkdtemp failed.
  const std::string& path() const { return path_; }
  std::string File(absl::string_view name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

}  // namespace resguardo::store::testing

#endif  // RESGUARDO_SERVICES_STORE_TESTING_TEMP_DIR_H_
