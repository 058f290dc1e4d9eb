// The metrics listener's handler: GET /metrics answers the registry in the Prometheus text
// format; any other path is 404, any other method 405. It runs on its own HttpServer
// (config key metrics_listen, the host's private address), apart from the site's listener, so
// Prometheus reaches it without going through Nginx and the site never serves it.
#pragma once

#include "app/metrics.h"
#include "app/request_handler.h"

namespace foobar::app {

class MetricsHandler : public RequestHandler {
 public:
  // `registry` must outlive this object.
  explicit MetricsHandler(const MetricsRegistry& registry) : registry_(registry) {}

  asio::awaitable<ApiResponse> Handle(ApiRequest request) override;

 private:
  const MetricsRegistry& registry_;
};

}  // namespace foobar::app
