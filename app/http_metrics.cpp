#include "app/http_metrics.h"

namespace foobar::app {
namespace {

constexpr const char* kRequestsName = "foobar_http_requests_total";

std::size_t MethodIndex(Method method) {
  switch (method) {
    case Method::kGet:
      return 0;
    case Method::kHead:
      return 1;
    case Method::kPost:
      return 2;
    case Method::kOther:
      break;
  }
  return 3;
}

constexpr std::array<const char*, 4> kMethodNames = {"GET", "HEAD", "POST", "other"};

}  // namespace

HttpMetrics::HttpMetrics(MetricsRegistry& registry)
    : requests_(std::make_unique<
                std::array<std::atomic<std::uint64_t>, kRoutePatterns * kMethods * kStatuses>>()),
      in_flight_(registry
                     .AddGauge("foobar_http_requests_in_flight",
                               "HTTP requests received and not yet answered.")
                     .WithLabels({})) {
  for (auto& cell : *requests_) cell.store(0, std::memory_order_relaxed);
  registry.AddCollector(this);
  auto& duration = registry.AddHistogram(
      "foobar_http_request_duration_seconds",
      "Time from a request's first byte to its response written, by route pattern.", {"route"},
      LatencyBuckets());
  for (std::size_t route = 0; route < kRoutePatterns; ++route) {
    duration_[route] = &duration.WithLabels({std::string(RoutePattern(route))});
  }
}

std::size_t HttpMetrics::Index(std::size_t route, Method method, int status) {
  return (route * kMethods + MethodIndex(method)) * kStatuses +
         static_cast<std::size_t>(status - kFirstStatus);
}

void HttpMetrics::CountRequest(std::size_t route, Method method, int status,
                               double seconds) noexcept {
  if (route >= kRoutePatterns) route = kUnmatchedRoute;
  duration_[route]->Observe(seconds);
  if (status < kFirstStatus || status >= kFirstStatus + static_cast<int>(kStatuses)) return;
  (*requests_)[Index(route, method, status)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t HttpMetrics::RequestCount(std::size_t route, Method method, int status) const {
  return (*requests_)[Index(route, method, status)].load(std::memory_order_relaxed);
}

void HttpMetrics::Collect(std::string& out) const {
  AppendMetricHeader(out, kRequestsName, "counter",
                     "HTTP requests answered, by route pattern, method and status.");
  for (std::size_t route = 0; route < kRoutePatterns; ++route) {
    for (std::size_t method = 0; method < kMethods; ++method) {
      for (std::size_t status = 0; status < kStatuses; ++status) {
        const std::uint64_t value =
            (*requests_)[(route * kMethods + method) * kStatuses + status].load(
                std::memory_order_relaxed);
        if (value == 0) continue;
        const Labels labels = {{"route", std::string(RoutePattern(route))},
                               {"method", kMethodNames[method]},
                               {"status", std::to_string(static_cast<int>(status) + kFirstStatus)}};
        AppendSample(out, kRequestsName, labels, FormatSampleValue(value));
      }
    }
  }
}

}  // namespace foobar::app
