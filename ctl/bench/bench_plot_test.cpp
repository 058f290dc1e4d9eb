#include "ctl/bench/bench_plot.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace foobar::ctl::bench {
namespace {

namespace fs = std::filesystem;

// make bench passes a relative folder (bench/results): the plots must land in it all the same.
TEST(BenchPlot, DrawsBothPlotsIntoARelativeFolder) {
  const fs::path dir = "bench-plot-test-" + std::to_string(::getpid());
  fs::create_directories(dir);
  BenchResults results;
  for (double rate : {100.0, 200.0}) {
    CurvePoint point;
    point.offered_rate = rate;
    point.result.p50_ms = rate / 100;
    point.result.p99_ms = rate / 50;
    results.curve.push_back(point);
  }
  PointResult point;
  point.endpoint = "healthz";
  point.path = "app";
  point.request = "GET /healthz";
  point.max.requests_per_s = 1000;
  results.points.push_back(point);

  const std::vector<std::string> made = Plot(results, dir);
  EXPECT_EQ(made, (std::vector<std::string>{kCurvePlot, kThroughputPlot}));
  EXPECT_GT(fs::file_size(dir / kCurvePlot), 0u);
  EXPECT_GT(fs::file_size(dir / kThroughputPlot), 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace foobar::ctl::bench
