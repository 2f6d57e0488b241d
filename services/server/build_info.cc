#include "services/server/build_info.h"

#include <grpcpp/grpcpp.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"

namespace resguardo::server {
namespace {

// SQLCipher reports its own version only through a pragma on an open
// connection; an in-memory database is enough.
std::string SqlCipherVersion() {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    return "unavailable";
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA cipher_version;", -1, &raw_stmt,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw_stmt);
    return "unavailable";
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt,
                                                             sqlite3_finalize);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) return "not a SQLCipher build";
  const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
  return text ? reinterpret_cast<const char*>(text) : "unknown";
}

}  // namespace

const char* Version() { return RESGUARDO_VERSION; }

std::vector<std::pair<std::string, std::string>> BuildComponents() {
  return {{"resguardo", Version()},
          {"openssl", OpenSSL_version(OPENSSL_VERSION)},
          {"sqlcipher", SqlCipherVersion()},
          {"sqlite", sqlite3_libversion()},
          {"grpc", grpc::Version()},
          {"protobuf",
           google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)}};
}

std::string BuildInfo() {
  const std::vector<std::pair<std::string, std::string>> c = BuildComponents();
  return absl::StrCat("resguardod ", c[0].second, "\n",   //
                      "  OpenSSL   ", c[1].second, "\n",  //
                      "  SQLCipher ", c[2].second, " (SQLite ", c[3].second,
                      ")\n",                              //
                      "  gRPC      ", c[4].second, "\n",  //
                      "  protobuf  ", c[5].second, "\n");
}

}  // namespace resguardo::server
