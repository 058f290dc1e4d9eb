// Dispatch from a routed request to its handler; the not-found and method-not-allowed
// answers are decided here, once, for every path.
#include "app/request_handler.h"

#include "app/message_json.h"
#include "app/router.h"
#include "app/target.h"

namespace foobar::app {

asio::awaitable<ApiResponse> ApiService::Handle(ApiRequest request) {
  const Target target = SplitTarget(request.target);
  if (fault_ && target.path == fault_->path && (request.method == Method::kGet || request.method == Method::kHead))
    co_return ErrorResponse(fault_->status, "fault injected by this release");
  const RouteMatch match = MatchRoute(request.method, target.path);
  if (match.kind == RouteMatch::Kind::kNotFound) co_return ErrorResponse(404, "not found");
  if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
    ApiResponse response = ErrorResponse(405, "method not allowed");
    response.headers.emplace_back("Allow", std::string(match.allow));
    co_return response;
  }
  switch (match.route) {
    case RouteId::kHealthz:
      co_return ApiResponse{200, status_json_, {}};
    case RouteId::kReadyz:
      if (!readiness_.IsReady()) co_return ErrorResponse(503, "database unreachable");
      co_return ApiResponse{200, status_json_, {}};
    case RouteId::kListMessages:
      co_return co_await messages_.List(std::string(target.query), std::move(request.cookie));
    case RouteId::kGetMessage:
      co_return co_await messages_.Get(std::string(match.id), std::move(request.cookie));
    case RouteId::kCreateMessage:
      co_return co_await messages_.Create(std::move(request.content_type), std::move(request.body),
                                          std::move(request.idempotency_keys));
  }
  co_return ErrorResponse(404, "not found");
}

}  // namespace foobar::app
