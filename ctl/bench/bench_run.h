// `foobar bench`: the whole benchmark suite against the lab that is up, in one run so that
// every ratio compares figures measured minutes apart on the same machine. Leaves the lab as
// it found it: the reference Nginx is stopped, the sysbench schema and user dropped, and the
// messages the run posted deleted.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/bench/bench_results.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl::bench {

struct BenchSettings {
  std::string scale = "full";         // "full" (about 8 s per point) or "tiny" (1 s, for make test)
  std::filesystem::path out_dir;      // REPORT.md, results.json, plots
};

// Runs every measurement, writes REPORT.md, results.json and the plots into out_dir.
// Throws LabError when the lab cannot be measured (no app host, no loadgen, a tool fails).
BenchResults RunBench(const LabContext& lab, const BenchSettings& settings);

}  // namespace foobar::ctl::bench
