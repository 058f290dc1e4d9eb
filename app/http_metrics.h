// The HTTP server's metrics: requests by route pattern, method and status, their latency by
// route, and requests in flight. Route is the router's pattern (router.h), never the raw path,
// and status is a number within 100..599, so the number of series is bounded (5 routes x 4
// methods x the statuses actually sent).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/api_types.h"
#include "app/metrics.h"
#include "app/router.h"

namespace foobar::app {

class HttpMetrics : public Collector {
 public:
  // Registers the request counter (this object) and its latency and in-flight families.
  explicit HttpMetrics(MetricsRegistry& registry);

  // Around the handling of a request that was read whole (in flight: being answered).
  void RequestStarted() noexcept { in_flight_.Add(1); }
  void RequestEnded() noexcept { in_flight_.Add(-1); }
  // A response sent (or attempted). `route`: a RouteMatch::pattern. A status outside
  // 100..599 is not counted.
  void CountRequest(std::size_t route, Method method, int status, double seconds) noexcept;

  // foobar_http_requests_total's value for one series (tests).
  std::uint64_t RequestCount(std::size_t route, Method method, int status) const;

  void Collect(std::string& out) const override;  // foobar_http_requests_total

 private:
  static constexpr std::size_t kMethods = 4;  // GET, HEAD, POST, other
  static constexpr int kFirstStatus = 100;
  static constexpr std::size_t kStatuses = 500;
  static std::size_t Index(std::size_t route, Method method, int status);

  // Dense: every (route, method, status) has its cell, so counting is one relaxed add with no
  // lookup. 5 x 4 x 500 x 8 bytes = 80 KiB. Series still at zero are not written.
  std::unique_ptr<std::array<std::atomic<std::uint64_t>, kRoutePatterns * kMethods * kStatuses>>
      requests_;
  std::array<Histogram*, kRoutePatterns> duration_{};
  Gauge& in_flight_;
};

}  // namespace foobar::app
