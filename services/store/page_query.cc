#include "services/store/page_query.h"

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "services/store/statement.h"

namespace resguardo::store {

absl::StatusOr<bool> ReadPage(Statement& query, int limit_param, int page_size,
                              absl::FunctionRef<absl::Status()> read_row) {
  RETURN_IF_ERROR(query.BindInt64(limit_param, int64_t{page_size} + 1));
  for (int read = 0;; ++read) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) return false;
    if (read == page_size) return true;
    RETURN_IF_ERROR(read_row());
  }
}

}  // namespace resguardo::store
