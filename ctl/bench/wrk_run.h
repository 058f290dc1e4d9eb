// Closed-loop maximum throughput with wrk (Debian's wrk): a fixed number of connections,
// each sending its next request as soon as the previous answer arrived, run inside a lab
// host. Its output is parsed here (ParseWrkOutput is pure, unit-tested).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace foobar::ctl::bench {

struct WrkPlan {
  std::string host;         // lab host wrk runs on
  std::string url;          // http://ADDRESS:PORT/PATH or https://NAME/PATH
  int threads = 1;
  int connections = 32;
  double duration_s = 5;
  std::string script_file;  // a Lua script (POST bodies), or ""
};

struct WrkResult {
  uint64_t requests = 0;
  double duration_s = 0;
  double requests_per_s = 0;
  uint64_t non_2xx = 0;        // "Non-2xx or 3xx responses"
  uint64_t socket_errors = 0;  // connect + read + write + timeout
  double p50_ms = 0, p90_ms = 0, p99_ms = 0;  // closed-loop latencies (not corrected; for reference)
};

std::vector<std::string> WrkArgv(const WrkPlan& plan);

// nullopt when the output has no "N requests in Ts" line (wrk failed).
std::optional<WrkResult> ParseWrkOutput(const std::string& output);

// Runs wrk in the plan's host; throws LabError when it fails or its output is unreadable.
WrkResult RunWrk(const WrkPlan& plan);

// A wrk Lua script that sends `method` with a JSON `body` (for POST /api/messages).
std::string WrkBodyScript(const std::string& method, const std::string& body);

// A wrk Lua script whose every request GETs one of `targets` (paths) picked at random, as
// sysbench's point select picks a random row: reads of one hot row would flatter the app.
std::string WrkRandomTargetScript(const std::vector<std::string>& targets);

}  // namespace foobar::ctl::bench
