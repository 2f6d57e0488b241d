// The key set file on disk: read with the checks a key file gets, and
// replaced durably.
//
//   ASSIGN_OR_RETURN(std::string bytes, ReadKeySetFile(path));
//   RETURN_IF_ERROR(ReplaceFileDurably(path, new_bytes));
//
// Messages name the path, never the content.
#ifndef RESGUARDO_CRYPTO_KEY_SET_FILE_H_
#define RESGUARDO_CRYPTO_KEY_SET_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::crypto {

// The bytes of `path`, which must be a regular file (not a symbolic link)
// with no permission for group or others. NOT_FOUND if it does not exist;
// FAILED_PRECONDITION for a bad shape; INTERNAL for other I/O errors.
absl::StatusOr<std::string> ReadKeySetFile(const std::string& path);

// Writes `bytes` to `path`.tmp (mode 0600, created anew), fsyncs it, renames
// it over `path` and fsyncs the folder: after a crash `path` holds either
// its old bytes or the new ones, never a mix. A leftover `path`.tmp is
// replaced.
absl::Status ReplaceFileDurably(const std::string& path,
                                absl::string_view bytes);

// Renames `from` over `to` (same folder) and fsyncs that folder.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// fsyncs the folder of `path`.
absl::Status FsyncFolderOf(const std::string& path);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_KEY_SET_FILE_H_
