# Every third-party dependency comes from a Debian 12 package
# (deploy/install-deps.sh); nothing is downloaded at build time.
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(absl CONFIG REQUIRED)
# Debian packages no protobuf CMake config: module mode.
find_package(Protobuf 3.21 REQUIRED MODULE)
# From libgrpc-dev; its config needs protobuf-compiler-grpc installed.
find_package(gRPC CONFIG REQUIRED)
find_program(RESGUARDO_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
if(NOT TARGET resguardo_sqlcipher)
  add_library(resguardo_sqlcipher INTERFACE)
  target_link_libraries(resguardo_sqlcipher INTERFACE PkgConfig::SQLCIPHER)
  # The .pc file does not set it, and without it sqlite3.h hides the codec API.
  target_compile_definitions(resguardo_sqlcipher INTERFACE SQLITE_HAS_CODEC)
  add_library(SQLCipher::SQLCipher ALIAS resguardo_sqlcipher)
endif()
find_package(GTest CONFIG REQUIRED)
find_package(nlohmann_json 3 CONFIG REQUIRED)
# prometheus-cpp-dev: the metrics' registry and text exposition, its core
# library only (the node serves /metrics on its own web listener; the
# package's config also looks for civetweb and curl, which it depends on).
find_package(prometheus-cpp CONFIG REQUIRED)
if(RESGUARDO_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

# The directory that holds googleapis' google/rpc/*.proto on Debian
# (golang-github-gogo-googleapis-dev).
find_path(RESGUARDO_GOOGLEAPIS_DIR google/rpc/status.proto
  PATHS /usr/share/gocode/src/github.com/gogo/googleapis
  NO_DEFAULT_PATH REQUIRED)
