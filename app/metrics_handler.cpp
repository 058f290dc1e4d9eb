#include "app/metrics_handler.h"

#include "app/message_json.h"
#include "app/target.h"

namespace foobar::app {

asio::awaitable<ApiResponse> MetricsHandler::Handle(ApiRequest request) {
  if (SplitTarget(request.target).path != "/metrics") co_return ErrorResponse(404, "not found");
  if (request.method != Method::kGet && request.method != Method::kHead) {
    ApiResponse response = ErrorResponse(405, "method not allowed");
    response.headers.emplace_back("Allow", "GET, HEAD");
    co_return response;
  }
  ApiResponse response{200, registry_.Render(), {}};
  response.headers.emplace_back("Content-Type", kMetricsContentType);
  co_return response;
}

}  // namespace foobar::app
