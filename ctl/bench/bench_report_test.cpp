#include "ctl/bench/bench_report.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

BenchResults WithOnePoint(const OpenLoopResult& fixed) {
  BenchResults results;
  PointResult point;
  point.endpoint = "healthz";
  point.path = "stack";
  point.request = "GET /healthz";
  point.max.requests_per_s = 1000;
  point.fixed_rate = 500;
  point.fixed = fixed;
  results.points.push_back(point);
  return results;
}

TEST(BenchReport, FailedRequestsAreCountedWithTheirReasons) {
  OpenLoopResult fixed;
  fixed.sent = 4000;
  fixed.failed = 7;
  fixed.errors = {{"timeout", 5}, {"HTTP 503", 2}};
  const std::string markdown = ReportMarkdown(WithOnePoint(fixed));
  EXPECT_NE(markdown.find("| 7 (HTTP 503 2, timeout 5) |"), std::string::npos) << markdown;
  EXPECT_EQ(ResultsJson(WithOnePoint(fixed))["points"][0]["fixed"]["errors"]["timeout"], 5);
}

TEST(BenchReport, NoFailureIsAPlainZero) {
  OpenLoopResult fixed;
  fixed.sent = 4000;
  const std::string markdown = ReportMarkdown(WithOnePoint(fixed));
  // The row's last cells: p99.9, then "failed" (a plain 0, no reasons).
  EXPECT_NE(markdown.find("| 0.00 | 0 |\n"), std::string::npos) << markdown;
  EXPECT_EQ(markdown.find("()"), std::string::npos) << markdown;
}

TEST(BenchReport, TheRateWithinTheP99LimitIsStatedWithItsShareOfTheMaximum) {
  BenchResults results = WithOnePoint(OpenLoopResult{});
  PointResult read = results.points.front();
  read.endpoint = kReadById;
  read.max.requests_per_s = 8000;
  results.points.push_back(read);
  CurvePoint narrowing;
  narrowing.offered_rate = 2400;
  narrowing.fraction_of_max = 0.3;
  narrowing.narrowing = true;
  narrowing.result.sent = 100;
  results.curve.push_back(narrowing);
  results.rate_within_p99_limit = 2400;
  const std::string markdown = ReportMarkdown(results);
  EXPECT_NE(markdown.find("| 2400 (narrowing) | 30 % |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("up to **2400 req/s** (30 % of its maximum)"), std::string::npos) << markdown;
  const nlohmann::json json = ResultsJson(results);
  EXPECT_EQ(json["rate_within_p99_limit"], 2400);
  EXPECT_EQ(json["curve"][0]["narrowing"], true);
}

TEST(BenchReport, NoRateWithinTheP99LimitSaysSo) {
  BenchResults results;
  CurvePoint lowest;
  lowest.offered_rate = 230;
  lowest.result.sent = 100;
  lowest.result.p99_ms = 6;
  results.curve.push_back(lowest);
  const std::string markdown = ReportMarkdown(results);
  EXPECT_NE(markdown.find("not under 5 ms with every request served at any rate tried, down to 230 req/s"),
            std::string::npos) << markdown;
  EXPECT_EQ(markdown.find("up to **0 req/s**"), std::string::npos) << markdown;
}

TEST(BenchReport, TheStacksExpectedShareOnSharedCoresComesFromCpuPerRead) {
  BenchResults results;
  PointResult app;
  app.endpoint = kReadById;
  app.path = kPathApp;
  app.cpu_per_1000 = {{"app", 0.03}, {"mariadb", 0.02}, {"wrk", 0.5}};  // the load generator is left out
  PointResult stack = app;
  stack.path = kPathStack;
  stack.cpu_per_1000 = {{"app", 0.06}, {"mariadb", 0.04}, {"haproxy", 0.06}, {"nginx", 0.04}};
  EXPECT_FALSE(SharedCoresBound(results).has_value());
  results.points = {app, stack};
  ASSERT_TRUE(SharedCoresBound(results).has_value());
  EXPECT_DOUBLE_EQ(*SharedCoresBound(results), 0.25);
  const std::string markdown = ReportMarkdown(results);
  EXPECT_NE(markdown.find("about **0.25** of the app's direct rate"), std::string::npos) << markdown;
  // The CPU table's "total (servers)" cells are the same sums, wrk's 0.5 left out.
  EXPECT_NE(markdown.find("| 0.050 |\n"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| 0.200 |\n"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace foobar::ctl::bench
