#include "ctl/bench/latency_capacity.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

CurvePoint At(double rate, double p99_ms, uint64_t failed = 0) {
  CurvePoint point;
  point.offered_rate = rate;
  point.result.sent = 100;
  point.result.failed = failed;
  point.result.p99_ms = p99_ms;
  return point;
}

TEST(LatencyCapacity, HighestRateUnderTheLimitBelowTheFirstOver) {
  const std::vector<CurvePoint> curve = {At(800, 3.6), At(2000, 4.9), At(4000, 15), At(6000, 800)};
  EXPECT_DOUBLE_EQ(HighestRateWithin(curve, 5), 2000);
  EXPECT_EQ(NextRateToTry(curve, 5, 100), 3000);
}

TEST(LatencyCapacity, ALuckyPassAboveAFailureDoesNotCount) {
  const std::vector<CurvePoint> curve = {At(800, 3), At(2000, 7), At(3000, 4), At(4000, 15)};
  EXPECT_DOUBLE_EQ(HighestRateWithin(curve, 5), 800);
  EXPECT_EQ(NextRateToTry(curve, 5, 100), 1400);
}

TEST(LatencyCapacity, FailedRequestsOrNothingSentIsOverTheLimit) {
  CurvePoint unsent = At(500, 1);
  unsent.result.sent = 0;
  EXPECT_FALSE(WithinLimit(unsent, 5));
  EXPECT_FALSE(WithinLimit(At(1000, 1, 1), 5));
  EXPECT_FALSE(WithinLimit(At(1000, 5), 5));  // "under" 5 ms
  EXPECT_TRUE(WithinLimit(At(1000, 4.99), 5));
  EXPECT_DOUBLE_EQ(HighestRateWithin({At(1000, 1, 1), At(2000, 1)}, 5), 0);
}

TEST(LatencyCapacity, NothingWithinSearchesFromZero) {
  const std::vector<CurvePoint> curve = {At(800, 9), At(2000, 20)};
  EXPECT_DOUBLE_EQ(HighestRateWithin(curve, 5), 0);
  EXPECT_EQ(NextRateToTry(curve, 5, 100), 400);
}

TEST(LatencyCapacity, StopsWhenNothingIsOverOrTheGapIsNarrow) {
  EXPECT_FALSE(NextRateToTry({At(800, 1), At(2000, 2)}, 5, 100).has_value());
  EXPECT_FALSE(NextRateToTry({At(2000, 2), At(2100, 9)}, 5, 100).has_value());
  EXPECT_FALSE(NextRateToTry({}, 5, 100).has_value());
}

TEST(LatencyCapacity, EachTryHalvesTheGap) {
  std::vector<CurvePoint> curve = {At(1000, 2), At(5000, 30)};
  // A stack whose p99 crosses 5 ms at 2,600 req/s.
  for (int i = 0; i < 3; ++i) {
    const auto next = NextRateToTry(curve, 5, 100);
    ASSERT_TRUE(next.has_value());
    curve.push_back(At(*next, *next < 2600 ? 4 : 6));
  }
  EXPECT_DOUBLE_EQ(HighestRateWithin(curve, 5), 2500);  // tried 3000 (over), 2000, 2500
}

}  // namespace
}  // namespace foobar::ctl::bench
