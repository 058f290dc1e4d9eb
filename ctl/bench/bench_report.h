// A bench run written out: REPORT.md for a person (targets with PASS/FAIL first, then every
// figure) and one JSON object for programs (the lab test checks every figure is a number).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ctl/bench/bench_results.h"

namespace foobar::ctl::bench {

nlohmann::json ResultsJson(const BenchResults& results);
std::string ReportMarkdown(const BenchResults& results);

// The whole stack's expected share of the app's direct rate for reads by id when every tier
// shares the same cores: server CPU per read directly / through the stack (closed-loop runs).
// nullopt when either figure is missing.
std::optional<double> SharedCoresBound(const BenchResults& results);

}  // namespace foobar::ctl::bench
