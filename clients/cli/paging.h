// Paged list calls: the --page-size / --page-token flags and the --all loop,
// shared by every `... list` command (cases, follow-ups, users,
// institutions, referrals, audit entries).
#ifndef RESGUARDO_CLIENTS_CLI_PAGING_H_
#define RESGUARDO_CLIENTS_CLI_PAGING_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/invocation.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace resguardo::cli {

// Sets the request's page_size from --page-size (1..max_page_size; 0, the
// node's default, when absent) and its page_token from --page-token.
template <typename Request>
absl::Status ReadPageFlags(const Invocation& inv, int max_page_size,
                           Request& request) {
  absl::StatusOr<std::optional<int>> page_size =
      GetInt(inv.flags(), "page-size", 1, max_page_size, inv.lang());
  if (!page_size.ok()) return page_size.status();
  request.set_page_size(page_size->value_or(0));
  request.set_page_token(inv.flags().Get("page-token").value_or(""));
  return absl::OkStatus();
}

// Fetches one page into `all`, or with --all every page from the request's
// token on: the repeated fields are appended and `all`'s next_page_token is
// the last page's (empty when the list is complete). `rpc(context, request,
// &page)` makes the call. Returns kExitOk or the failed call's exit code.
template <typename Request, typename Response, typename Rpc>
int FetchPages(Invocation& inv, Request& request, Response& all, Rpc rpc) {
  do {
    Response page;
    int rc = inv.Call(
        [&](grpc::ClientContext* ctx) { return rpc(ctx, request, &page); });
    if (rc != kExitOk) return rc;
    all.MergeFrom(page);
    // MergeFrom keeps the old token when the new one is empty (proto3).
    all.set_next_page_token(page.next_page_token());
    request.set_page_token(page.next_page_token());
  } while (inv.flags().Has("all") && !request.page_token().empty());
  return kExitOk;
}

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_PAGING_H_
