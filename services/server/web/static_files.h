// StaticFiles: the folder of the web client's build, served read-only at
// "/" by the web listener (NodeConfig web.static_dir).
//
//   - GET and HEAD only;
//   - a path is percent-decoded once, split on '/', and refused (404) if a
//     segment is empty, ".", "..", starts with '.', or holds '\', NUL or a
//     control character; the file found must be a regular file whose real
//     path (symbolic links resolved) lies inside the folder's real path;
//   - no directory listing: a directory is never answered, and any path
//     that names no file (a page of the client's own routing) gets the
//     folder's index.html;
//   - content types from a fixed table of extensions (anything else
//     application/octet-stream), and a strict Content-Security-Policy
//     (default-src 'self', no inline script, frame-ancestors 'none').
//
// Thread safety: thread-safe (reads the file system on each request).
#ifndef RESGUARDO_SERVICES_SERVER_WEB_STATIC_FILES_H_
#define RESGUARDO_SERVICES_SERVER_WEB_STATIC_FILES_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "services/server/web/http_exchange.h"

namespace resguardo::server::web {

class StaticFiles {
 public:
  // `root` is the folder ("" for none: every path is 404). Files larger
  // than `max_file_bytes` are not served (404).
  StaticFiles(std::string root, size_t max_file_bytes);

  // The answer to a GET or HEAD of `path` (the request target without its
  // query).
  HttpResponse Serve(absl::string_view method, absl::string_view path) const;

  // The Content-Security-Policy of static files.
  static constexpr char kContentSecurityPolicy[] =
      "default-src 'self'; script-src 'self'; style-src 'self'; "
      "img-src 'self'; connect-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

 private:
  // The real path of the file `path` names inside the folder, or "".
  std::string Resolve(absl::string_view path) const;

  std::string root_;  // real path, or "" when none
  const size_t max_file_bytes_;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_STATIC_FILES_H_
