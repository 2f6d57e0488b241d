// Early-return helpers for absl::Status and absl::StatusOr<T>.
//
// Debian's Abseil (20220623) ships neither macro, so the project keeps this
// one small header. Both evaluate their argument exactly once.
//
//   RETURN_IF_ERROR(store.Write(record));
//   ASSIGN_OR_RETURN(std::string blob, aead.Encrypt(plaintext, ad));
#ifndef RESGUARDO_BASE_STATUS_MACROS_H_
#define RESGUARDO_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RESGUARDO_STATUS_CONCAT_INNER_(a, b) a##b
#define RESGUARDO_STATUS_CONCAT_(a, b) RESGUARDO_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    ::absl::Status resguardo_status_ = (expr);             \
    if (!resguardo_status_.ok()) return resguardo_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs` (a declaration or an lvalue).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  RESGUARDO_ASSIGN_OR_RETURN_IMPL_(  \
      RESGUARDO_STATUS_CONCAT_(resguardo_statusor_, __LINE__), lhs, rexpr)

#define RESGUARDO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) return std::move(statusor).status();     \
  lhs = std::move(statusor).value()

#endif  // RESGUARDO_BASE_STATUS_MACROS_H_
