#include "services/server/web/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace resguardo::server::web {
namespace {

std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return "";
  return resolved;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Percent-decodes `in` once; false on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool IsSafeSegment(absl::string_view segment) {
  if (segment.empty() || segment[0] == '.') return false;  // ., .., .git
  for (char c : segment) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\') return false;
  }
  return true;
}

absl::string_view ContentType(absl::string_view path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWithIgnoreCase(path, extension)) return type;
  }
  return "application/octet-stream";
}

HttpResponse NotFound() {
  HttpResponse response;
  response.status = 404;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = "no encontrado / not found\n";
  return response;
}

}  // namespace

StaticFiles::StaticFiles(std::string root, size_t max_file_bytes)
    : root_(root.empty() ? "" : RealPath(root)),
      max_file_bytes_(max_file_bytes) {}

std::string StaticFiles::Resolve(absl::string_view path) const {
  std::string decoded;
  if (!PercentDecode(path, &decoded)) return "";
  if (!absl::StartsWith(decoded, "/")) return "";
  std::string relative = decoded.substr(1);
  if (relative.empty() || absl::EndsWith(relative, "/")) {
    relative += "index.html";
  }
  for (absl::string_view segment : absl::StrSplit(relative, '/')) {
    if (!IsSafeSegment(segment)) return "";
  }
  const std::string real = RealPath(absl::StrCat(root_, "/", relative));
  if (real.empty() || !absl::StartsWith(real, absl::StrCat(root_, "/"))) {
    return "";
  }
  struct stat st;
  if (stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  return real;
}

HttpResponse StaticFiles::Serve(absl::string_view method,
                                absl::string_view path) const {
  if (root_.empty()) return NotFound();
  std::string file = Resolve(path);
  if (file.empty()) {
    // A path of the client's own routing (or a refused one: the same
    // answer, so that a probe learns nothing): its index.html.
    std::string decoded;
    if (!PercentDecode(path, &decoded) || absl::StrContains(decoded, "..")) {
      return NotFound();
    }
    file = Resolve("/index.html");
    if (file.empty()) return NotFound();
  }
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return NotFound();
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) > max_file_bytes_) {
    close(fd);
    return NotFound();
  }
  std::string body(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < body.size()) {
    const ssize_t n = read(fd, body.data() + done, body.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  if (done != body.size()) return NotFound();
  HttpResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", std::string(ContentType(file)));
  response.headers.emplace_back("Content-Security-Policy",
                                kContentSecurityPolicy);
  response.headers.emplace_back("X-Frame-Options", "DENY");
  if (method != "HEAD") response.body = std::move(body);
  return response;
}

}  // namespace resguardo::server::web
