#include "ctl/lab/canary.h"

#include <gtest/gtest.h>

namespace foobar::ctl {
namespace {

CanaryObservation Obs(long long responses, long long errors, int probes, int ok, double median) {
  return {responses, errors, probes, ok, median};
}

TEST(Canary, HealthyWhenLikeTheOthers) {
  auto v = JudgeCanary("app-01", {{"app-01", Obs(100, 0, 10, 10, 3)}, {"app-02", Obs(100, 0, 10, 10, 2.5)}}, {});
  EXPECT_TRUE(v.healthy) << v.summary;
}

TEST(Canary, FailsOnFiveHundreds) {
  auto v = JudgeCanary("app-01", {{"app-01", Obs(100, 40, 0, 0, 0)}, {"app-02", Obs(100, 0, 0, 0, 0)}}, {});
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.summary.find("40/100"), std::string::npos) << v.summary;
}

TEST(Canary, WithinTheMarginPasses) {
  // 1 % more errors than the others is the stated margin, not a failure.
  auto v = JudgeCanary("app-01", {{"app-01", Obs(1000, 15, 0, 0, 0)}, {"app-02", Obs(1000, 10, 0, 0, 0)}}, {});
  EXPECT_TRUE(v.healthy) << v.summary;
}

TEST(Canary, TooFewResponsesAreNotJudgedButProbesAre) {
  EXPECT_TRUE(JudgeCanary("app-01", {{"app-01", Obs(3, 3, 0, 0, 0)}, {"app-02", Obs(3, 0, 0, 0, 0)}}, {}).healthy);
  EXPECT_FALSE(JudgeCanary("app-01", {{"app-01", Obs(0, 0, 10, 0, 0)}, {"app-02", Obs(0, 0, 10, 10, 2)}}, {}).healthy);
}

TEST(Canary, FailsWhenSlow) {
  auto v = JudgeCanary("app-01", {{"app-01", Obs(100, 0, 10, 10, 90)}, {"app-02", Obs(100, 0, 10, 10, 5)}}, {});
  EXPECT_FALSE(v.healthy);
  EXPECT_NE(v.summary.find("latency"), std::string::npos) << v.summary;
}

}  // namespace
}  // namespace foobar::ctl
