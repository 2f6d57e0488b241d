// What this build of resguardod is and what it runs on.
#ifndef RESGUARDO_SERVICES_SERVER_BUILD_INFO_H_
#define RESGUARDO_SERVICES_SERVER_BUILD_INFO_H_

#include <string>
#include <utility>
#include <vector>

namespace resguardo::server {

// Resguardo's version, e.g. "0.1.0".
const char* Version();

// One line per component: Resguardo, OpenSSL, SQLCipher (and the SQLite it
// wraps), gRPC, Protocol Buffers, each with the version linked at run time.
// Thread-safe.
std::string BuildInfo();

// The same components as (name, version) pairs: "resguardo", "openssl",
// "sqlcipher", "sqlite", "grpc", "protobuf" (the metrics' build info).
// Thread-safe.
std::vector<std::pair<std::string, std::string>> BuildComponents();

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_BUILD_INFO_H_
