// A bench run written out: REPORT.md for a person (targets with PASS/FAIL first, then every
// figure) and one JSON object for programs (the lab test checks every figure is a number).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ctl/bench/bench_results.h"

namespace foobar::ctl::bench {

nlohmann::json ResultsJson(const BenchResults& results);
std::string ReportMarkdown(const BenchResults& results);

}  // namespace foobar::ctl::bench
