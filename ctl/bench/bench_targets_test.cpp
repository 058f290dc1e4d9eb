#include "ctl/bench/bench_targets.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

PointResult Point(const char* endpoint, const char* path, double rps) {
  PointResult p;
  p.endpoint = endpoint;
  p.path = path;
  p.max.requests_per_s = rps;
  return p;
}

BenchResults Passing() {
  BenchResults r;
  r.points = {Point(kFixed, kPathReference, 10000), Point(kHealthz, kPathApp, 9000),
              Point(kReadById, kPathApp, 8000), Point(kReadById, kPathStack, 4000)};
  r.points.back().fixed_rate = 2000;
  r.points.back().fixed.sent = 100;
  r.points.back().fixed.p99_ms = 3;
  r.sysbench.queries_per_s = 10000;
  r.rss_connections_mib = 20;
  r.idle.opened = 1000;
  return r;
}

TEST(BenchTargets, RatiosFromOneRunPass) {
  const auto targets = EvaluateTargets(Passing());
  ASSERT_EQ(targets.size(), 5u);
  EXPECT_DOUBLE_EQ(targets[0].ratio, 0.9);
  EXPECT_DOUBLE_EQ(targets[1].ratio, 0.8);
  EXPECT_DOUBLE_EQ(targets[2].ratio, 0.5);
  for (const auto& t : targets) EXPECT_TRUE(t.pass) << t.name;
}

TEST(BenchTargets, BelowThresholdOrMissingFails) {
  BenchResults r = Passing();
  r.points[1].max.requests_per_s = 7000;  // 0.7 of Nginx
  r.sysbench.queries_per_s = 0;           // sysbench did not run
  r.points[3].fixed.p99_ms = 5;           // not under 5 ms
  r.idle.opened = 900;                    // not all connections held
  const auto targets = EvaluateTargets(r);
  EXPECT_FALSE(targets[0].pass);
  EXPECT_FALSE(targets[1].pass);
  EXPECT_TRUE(targets[2].pass);
  EXPECT_FALSE(targets[3].pass);
  EXPECT_FALSE(targets[4].pass);
}

}  // namespace
}  // namespace foobar::ctl::bench
