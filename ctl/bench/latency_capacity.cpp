#include "ctl/bench/latency_capacity.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace foobar::ctl::bench {
namespace {

double LowestRateOver(const std::vector<CurvePoint>& curve, double p99_limit_ms) {
  double lowest = std::numeric_limits<double>::infinity();
  for (const auto& point : curve)
    if (!WithinLimit(point, p99_limit_ms)) lowest = std::min(lowest, point.offered_rate);
  return lowest;
}

}  // namespace

bool WithinLimit(const CurvePoint& point, double p99_limit_ms) {
  return point.result.sent > 0 && point.result.failed == 0 && point.result.p99_ms < p99_limit_ms;
}

double HighestRateWithin(const std::vector<CurvePoint>& curve, double p99_limit_ms) {
  const double over = LowestRateOver(curve, p99_limit_ms);
  double highest = 0;
  for (const auto& point : curve)
    if (WithinLimit(point, p99_limit_ms) && point.offered_rate < over) highest = std::max(highest, point.offered_rate);
  return highest;
}

std::optional<double> NextRateToTry(const std::vector<CurvePoint>& curve, double p99_limit_ms, double resolution) {
  const double over = LowestRateOver(curve, p99_limit_ms);
  if (std::isinf(over)) return std::nullopt;
  const double within = HighestRateWithin(curve, p99_limit_ms);
  if (over - within <= resolution) return std::nullopt;
  return std::floor((within + over) / 2);
}

}  // namespace foobar::ctl::bench
