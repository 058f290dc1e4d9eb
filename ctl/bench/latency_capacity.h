// How much of the whole stack's rate fits under the p99 objective (pure). The target asks for
// p99 at half the maximum; what an operator sizes by is the other way round: the highest rate
// the stack carries with p99 under the limit. The curve's fixed fractions bound it; a few
// more runs halve the gap between the highest rate within and the lowest over.
#pragma once

#include <optional>
#include <vector>

#include "ctl/bench/bench_results.h"

namespace foobar::ctl::bench {

// A point is within when its p99 is under the limit and none of its requests failed.
bool WithinLimit(const CurvePoint& point, double p99_limit_ms);

// The highest rate within the limit that lies below every rate measured over it: on a shared
// machine a lucky pass above a failure is noise, not capacity. 0 when no rate was within.
double HighestRateWithin(const std::vector<CurvePoint>& curve, double p99_limit_ms);

// The rate to measure next: halfway between HighestRateWithin (or 0) and the lowest rate over
// the limit; nullopt when no rate was over it or the two are `resolution` req/s apart or less.
std::optional<double> NextRateToTry(const std::vector<CurvePoint>& curve, double p99_limit_ms, double resolution);

}  // namespace foobar::ctl::bench
