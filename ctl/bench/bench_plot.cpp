#include "ctl/bench/bench_plot.h"

#include <fmt/format.h>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <iterator>

#include "ctl/lab/command.h"

namespace foobar::ctl::bench {

namespace fs = std::filesystem;

std::string CurveData(const std::vector<CurvePoint>& curve) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "# offered_rate p50_ms p90_ms p99_ms p999_ms\n");
  for (const auto& c : curve)
    fmt::format_to(std::back_inserter(out), "{:.1f} {:.3f} {:.3f} {:.3f} {:.3f}\n", c.offered_rate, c.result.p50_ms,
                   c.result.p90_ms, c.result.p99_ms, c.result.p999_ms);
  return fmt::to_string(out);
}

std::string CurveScript(const std::string& data_file, const std::string& svg_file) {
  return fmt::format(
      R"(set terminal svg size 900,500 dynamic font "sans,12" background "#ffffff"
set output '{svg}'
set title 'GET /api/messages/ID through the whole stack: latency vs offered rate (open loop)'
set xlabel 'offered rate (requests/s)'
set ylabel 'latency (ms, log scale)'
set logscale y
set grid
set key top left
plot '{data}' using 1:2 with linespoints title 'p50', \
     '{data}' using 1:3 with linespoints title 'p90', \
     '{data}' using 1:4 with linespoints title 'p99', \
     '{data}' using 1:5 with linespoints title 'p99.9', \
     5 with lines dashtype 2 title 'p99 target (5 ms)'
)",
      fmt::arg("svg", svg_file), fmt::arg("data", data_file));
}

std::string ThroughputData(const BenchResults& results) {
  std::vector<std::string> requests;
  for (const auto& p : results.points)
    if (std::find(requests.begin(), requests.end(), p.endpoint) == requests.end()) requests.push_back(p.endpoint);
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "request app nginx stack reference\n");
  for (const auto& endpoint : requests) {
    fmt::format_to(std::back_inserter(out), "{}", endpoint);
    for (const char* path : {kPathApp, kPathNginx, kPathStack, kPathReference}) {
      const PointResult* p = results.Find(endpoint, path);
      fmt::format_to(std::back_inserter(out), " {:.0f}", p ? p->max.requests_per_s : 0.0);
    }
    fmt::format_to(std::back_inserter(out), "\n");
  }
  return fmt::to_string(out);
}

std::string ThroughputScript(const std::string& data_file, const std::string& svg_file) {
  return fmt::format(
      R"(set terminal svg size 900,500 dynamic font "sans,12" background "#ffffff"
set output '{svg}'
set title 'Maximum throughput (closed loop, wrk) by request and path'
set ylabel 'requests/s'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top right
plot '{data}' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), \
     '' using 4 title columnheader(4), '' using 5 title columnheader(5)
)",
      fmt::arg("svg", svg_file), fmt::arg("data", data_file));
}

namespace {

bool WriteText(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  return static_cast<bool>(out);
}

// The scripts name their files relative to `dir`, so the results folder can be moved and re-plotted.
bool RunGnuplot(const fs::path& dir, const fs::path& script, const fs::path& svg) {
  // The script's own path is absolute: after the `cd`, a relative one (make bench's
  // bench/results/...) would name a file that is not there.
  const CommandResult run =
      RunCommand({"gnuplot", "-e", "cd '" + dir.string() + "'", fs::absolute(script).string()});
  if (!run.ok() || !fs::exists(svg)) {
    std::fprintf(stderr, "bench: gnuplot %s failed: %s\n", script.c_str(), run.FirstErrorLine().c_str());
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> Plot(const BenchResults& results, const fs::path& dir) {
  std::vector<std::string> made;
  if (!results.curve.empty()) {
    const fs::path data = "latency-vs-rate.dat", script = dir / "latency-vs-rate.gp", svg = kCurvePlot;
    if (WriteText(dir / data, CurveData(results.curve)) && WriteText(script, CurveScript(data.string(), svg.string())) &&
        RunGnuplot(dir, script, dir / svg))
      made.push_back(kCurvePlot);
  }
  if (!results.points.empty()) {
    const fs::path data = "throughput.dat", script = dir / "throughput.gp", svg = kThroughputPlot;
    if (WriteText(dir / data, ThroughputData(results)) && WriteText(script, ThroughputScript(data.string(), svg.string())) &&
        RunGnuplot(dir, script, dir / svg))
      made.push_back(kThroughputPlot);
  }
  return made;
}

}  // namespace foobar::ctl::bench
