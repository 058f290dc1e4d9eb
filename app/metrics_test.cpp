#include "app/metrics.h"

#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/app_metrics.h"
#include "app/http_metrics.h"

namespace foobar::app {
namespace {

TEST(MetricsTest, CounterAndGauge) {
  Counter counter;
  counter.Inc();
  counter.Inc(4);
  EXPECT_EQ(counter.Value(), 5u);
  Gauge gauge;
  gauge.Add(3);
  gauge.Add(-5);
  EXPECT_EQ(gauge.Value(), -2);
  gauge.Set(7);
  EXPECT_EQ(gauge.Value(), 7);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInclusiveBounds) {
  Histogram histogram({0.1, 0.5, 1});
  histogram.Observe(0.05);
  histogram.Observe(0.1);  // le is inclusive
  histogram.Observe(0.7);
  histogram.Observe(30);
  const auto snapshot = histogram.Read();
  EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{2, 2, 3, 4}));
  EXPECT_DOUBLE_EQ(snapshot.sum, 30.85);
}

TEST(MetricsTest, HistogramBoundsMustAscend) {
  EXPECT_THROW(Histogram({1, 0.5}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Counter counter;
  Histogram histogram(LatencyBuckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) {
        counter.Inc();
        histogram.Observe(0.002);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.Value(), 400000u);
  EXPECT_EQ(histogram.Read().cumulative.back(), 400000u);
}

TEST(MetricsTest, FamilyReturnsOneSeriesPerLabelValues) {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("foobar_things_total", "Things.", {"kind"});
  Counter& a = family.WithLabels({"a"});
  EXPECT_EQ(&a, &family.WithLabels({"a"}));
  EXPECT_NE(&a, &family.WithLabels({"b"}));
  EXPECT_THROW(family.WithLabels({}), std::invalid_argument);
}

TEST(MetricsTest, RegistryRendersTheExpositionFormat) {
  MetricsRegistry registry;
  registry.AddCounter("foobar_things_total", "Things done.", {"kind"})
      .WithLabels({"a\"b"})
      .Inc(3);
  registry.AddGauge("foobar_level", "A level.").WithLabels({}).Set(-2);
  registry.AddHistogram("foobar_wait_seconds", "Waits.", {"pool"}, {0.1, 1})
      .WithLabels({"p"})
      .Observe(0.5);
  EXPECT_EQ(registry.Render(),
            "# HELP foobar_things_total Things done.\n"
            "# TYPE foobar_things_total counter\n"
            "foobar_things_total{kind=\"a\\\"b\"} 3\n"
            "# HELP foobar_level A level.\n"
            "# TYPE foobar_level gauge\n"
            "foobar_level -2\n"
            "# HELP foobar_wait_seconds Waits.\n"
            "# TYPE foobar_wait_seconds histogram\n"
            "foobar_wait_seconds_bucket{pool=\"p\",le=\"0.1\"} 0\n"
            "foobar_wait_seconds_bucket{pool=\"p\",le=\"1\"} 1\n"
            "foobar_wait_seconds_bucket{pool=\"p\",le=\"+Inf\"} 1\n"
            "foobar_wait_seconds_sum{pool=\"p\"} 0.5\n"
            "foobar_wait_seconds_count{pool=\"p\"} 1\n");
}

TEST(HttpMetricsTest, CountsByRoutePatternMethodAndStatus) {
  MetricsRegistry registry;
  HttpMetrics http(registry);
  const std::size_t by_id = MatchRoute(Method::kGet, "/api/messages/7").pattern;
  http.RequestStarted();
  http.CountRequest(by_id, Method::kGet, 200, 0.003);
  http.RequestEnded();
  http.CountRequest(by_id, Method::kGet, 200, 0.004);
  http.CountRequest(kUnmatchedRoute, Method::kPost, 404, 0.001);
  http.CountRequest(kUnmatchedRoute, Method::kPost, 99, 0.001);  // not a status: not counted
  EXPECT_EQ(http.RequestCount(by_id, Method::kGet, 200), 2u);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("foobar_http_requests_total{route=\"/api/messages/{id}\",method=\"GET\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("foobar_http_requests_total{route=\"unmatched\",method=\"POST\","
                      "status=\"404\"} 1\n"),
            std::string::npos);
  // Only series that counted something are written.
  EXPECT_EQ(text.find("status=\"500\""), std::string::npos);
  EXPECT_NE(text.find("foobar_http_requests_in_flight 0\n"), std::string::npos);
  EXPECT_NE(text.find("foobar_http_request_duration_seconds_count{route=\"/api/messages/{id}\"} 2\n"),
            std::string::npos);
}

TEST(AppMetricsTest, PoolsAreLabelledByRoleAndServer) {
  AppMetrics metrics;
  const DbPoolMetrics primary = metrics.ForPool("primary");
  const DbPoolMetrics replica = metrics.ForPool("replica 198.18.1.32:3306");
  primary.size->Set(8);
  replica.ok->Inc();
  metrics.SetBuildInfo("1.2.3");
  metrics.CountReadYourWritesWait(ReplicaReadOutcome::kNotCaughtUp);
  metrics.CountReadFallback(ReadFallback::kNotCaughtUp);
  const std::string text = metrics.registry().Render();
  EXPECT_NE(text.find("foobar_db_pool_connections{pool=\"primary\",server=\"\"} 8\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("foobar_db_pool_connections{pool=\"replica\",server=\"198.18.1.32:3306\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("foobar_db_queries_total{target=\"replica\",outcome=\"ok\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("foobar_db_queries_total{target=\"primary\",outcome=\"error\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("foobar_build_info{version=\"1.2.3\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("foobar_db_read_your_writes_waits_total{outcome=\"not_caught_up\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("foobar_db_read_fallbacks_total{reason=\"not_caught_up\"} 1\n"),
            std::string::npos);
  // Every metric name follows the project's prefix.
  std::size_t at = 0;
  while ((at = text.find("# TYPE ", at)) != std::string::npos) {
    at += 7;
    EXPECT_EQ(text.compare(at, 7, "foobar_"), 0) << text.substr(at, 40);
  }
}

// Prometheus's own linter (Debian's prometheus package) on everything the app exports.
TEST(AppMetricsTest, PromtoolAcceptsTheExposition) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "promtool not installed";
  AppMetrics metrics;
  metrics.ForPool("primary");
  metrics.ForPool("replica 198.18.1.32:3306");
  metrics.SetBuildInfo("0.1.0");
  metrics.http().CountRequest(0, Method::kGet, 200, 0.001);
  const std::string text = metrics.registry().Render();
  FILE* promtool = popen("/usr/bin/promtool check metrics >/dev/null 2>&1", "w");
  ASSERT_NE(promtool, nullptr);
  std::fwrite(text.data(), 1, text.size(), promtool);
  EXPECT_EQ(pclose(promtool), 0) << text;
}

}  // namespace
}  // namespace foobar::app
