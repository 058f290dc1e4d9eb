// The performance targets, each as a ratio from one run with PASS/FAIL (pure).
#pragma once

#include <vector>

#include "ctl/bench/bench_results.h"

namespace foobar::ctl::bench {

inline constexpr double kHealthzVsNginxMin = 0.8;
inline constexpr double kReadVsSysbenchMin = 0.7;
inline constexpr double kStackVsAppMin = 0.5;
inline constexpr double kStackP99LimitMs = 5.0;
inline constexpr double kIdleRssLimitMiB = 50.0;
inline constexpr int kIdleConnections = 1000;

// A target whose figures are missing is reported as failed with value 0.
std::vector<Target> EvaluateTargets(const BenchResults& results);

}  // namespace foobar::ctl::bench
