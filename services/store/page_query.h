// PageQuery: one page of a List method's rows (AIP-158) from a query that
// asks for one row more than the page holds, the extra row saying that a next
// page exists. Every store's List method reads its rows through it:
//
//   ASSIGN_OR_RETURN(store::Statement q,
//                    txn.Prepare("SELECT id, ... FROM t WHERE id > ?1 "
//                                "ORDER BY id LIMIT ?2"));
//   RETURN_IF_ERROR(q.BindInt64(1, after));
//   int64_t last = 0;
//   ASSIGN_OR_RETURN(const bool more,
//                    store::ReadPage(q, /*limit_param=*/2, page_size, [&] {
//                      ... read the row's columns into the response ...
//                    }));
//   if (more) response.set_next_page_token(EncodePageToken(scope, last));
//
// The page token (its position and scope) is the caller's: services/api/
// page_token.h.
#ifndef RESGUARDO_SERVICES_STORE_PAGE_QUERY_H_
#define RESGUARDO_SERVICES_STORE_PAGE_QUERY_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/statement.h"

namespace resguardo::store {

// Binds parameter `limit_param` of `query` (its LIMIT) to page_size + 1 and
// steps it, calling `read_row` while `query` stands on each of the first
// `page_size` rows. Returns whether a row follows them, i.e. whether the page
// has a next page (the caller then issues a next_page_token for the last row
// it read), or the first error of Bind, Step or `read_row`.
// REQUIRES: page_size >= 1.
absl::StatusOr<bool> ReadPage(Statement& query, int limit_param, int page_size,
                              absl::FunctionRef<absl::Status()> read_row);

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_PAGE_QUERY_H_
