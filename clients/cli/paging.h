// Paged list calls: the --page-size / --page-token flags, the --all loop and
// the "more pages" line, shared by every `... list` command (cases,
// follow-ups, users, institutions, referrals, audit entries).
#ifndef RESGUARDO_CLIENTS_CLI_PAGING_H_
#define RESGUARDO_CLIENTS_CLI_PAGING_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/invocation.h"
#include "clients/cli/messages.h"
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

// A `... list` command once `request` holds its filters: reads the paging
// flags (ReadPageFlags), opens a stub of `Service` and fetches into `all`
// (FetchPages) through `rpc`, the stub's method (e.g.
// &v1::CaseService::Stub::ListCases). Returns kExitOk or the exit code of
// the first failure, which it has reported.
template <typename Service, typename Request, typename Response>
int FetchList(Invocation& inv, int max_page_size, Request& request,
              grpc::Status (Service::Stub::*rpc)(grpc::ClientContext*,
                                                 const Request&, Response*),
              Response& all) {
  if (absl::Status paging = ReadPageFlags(inv, max_page_size, request);
      !paging.ok()) {
    return inv.LocalError(paging);
  }
  int rc = kExitOk;
  std::unique_ptr<typename Service::Stub> stub = inv.NewStub<Service>(&rc);
  if (!stub) return rc;
  return FetchPages(
      inv, request, all,
      [&](grpc::ClientContext* ctx, const Request& r, Response* page) {
        return ((*stub).*rpc)(ctx, r, page);
      });
}

// Prints a fetched list: JSON with --json, else `human()` and, when `all`
// is not the whole list, the line that gives the next page's token.
template <typename Response>
int PrintList(Invocation& inv, const Response& all,
              const std::function<std::string()>& human) {
  return inv.Print(all, [&] {
    std::string out = human();
    if (!all.next_page_token().empty()) {
      absl::StrAppend(&out,
                      Msg(inv.lang(), MsgId::kMorePages, all.next_page_token()),
                      "\n");
    }
    return out;
  });
}

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_PAGING_H_
