// The report's plots, drawn by gnuplot (Debian's gnuplot-nox) as SVG: the whole stack's
// latency against offered rate, and maximum throughput by request and path. The scripts are
// pure text (unit-tested); Plot() writes data + script and runs gnuplot on them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/bench/bench_results.h"

namespace foobar::ctl::bench {

inline constexpr const char* kCurvePlot = "latency-vs-rate.svg";
inline constexpr const char* kThroughputPlot = "throughput.svg";

// "rate p50 p90 p99 p999" rows.
std::string CurveData(const std::vector<CurvePoint>& curve);
std::string CurveScript(const std::string& data_file, const std::string& svg_file);
// One row per request: "request app nginx stack reference" (0 where not measured).
std::string ThroughputData(const BenchResults& results);
std::string ThroughputScript(const std::string& data_file, const std::string& svg_file);

// Writes the plots into `dir`; returns the file names made (gnuplot failing is not fatal:
// the report says which plots exist).
std::vector<std::string> Plot(const BenchResults& results, const std::filesystem::path& dir);

}  // namespace foobar::ctl::bench
