// Everything one `foobar bench` run measured, as plain data: filled in by bench_run,
// turned into targets (bench_targets), REPORT.md and JSON (bench_report) and plots (bench_plot).
#pragma once

#include <string>
#include <vector>

#include "ctl/bench/idle_connections.h"
#include "ctl/bench/open_loop_client.h"
#include "ctl/bench/process_usage.h"
#include "ctl/bench/sysbench_run.h"
#include "ctl/bench/wrk_run.h"

namespace foobar::ctl::bench {

// Path names: how a request reaches the app.
inline constexpr const char* kPathApp = "app";          // the app directly, on its host's loopback
inline constexpr const char* kPathNginx = "nginx";      // the app host's Nginx, from that host
inline constexpr const char* kPathStack = "stack";      // from loadgen: VIP -> HAProxy -> Nginx -> app -> DB
inline constexpr const char* kPathReference = "nginx-ref";  // the reference Nginx (fixed answer, static page)

// Endpoint names.
inline constexpr const char* kHealthz = "healthz";
inline constexpr const char* kReadById = "read-by-id";
inline constexpr const char* kList = "list-20";
inline constexpr const char* kPost = "post";
inline constexpr const char* kStatic = "static";
inline constexpr const char* kFixed = "fixed";  // the reference's `return 200`

// One endpoint through one path: closed-loop maximum, then open loop at a fixed rate.
struct PointResult {
  std::string endpoint;
  std::string path;
  std::string request;        // "GET /healthz"
  WrkResult max;
  CpuByKind cpu_per_1000;     // CPU seconds per 1,000 requests of the closed-loop run, by process kind
  double fixed_rate = 0;      // requests/s offered in the open-loop run (0: not run)
  OpenLoopResult fixed;
};

struct CurvePoint {
  double offered_rate = 0;
  double fraction_of_max = 0;
  bool narrowing = false;  // run to narrow the rate within the p99 limit (latency_capacity)
  OpenLoopResult result;
};

struct Target {
  std::string name;
  std::string figure;      // what was measured, in words with units
  double value = 0;
  double reference = 0;    // what it is compared with (0: an absolute limit)
  double ratio = 0;        // value / reference, or value / limit for absolute ones
  std::string rule;        // ">= 0.8", "< 5 ms"
  bool pass = false;
};

struct BenchResults {
  std::string started_at;  // UTC
  std::string scale;       // "full" | "tiny"
  std::string machine;     // CPU model
  int cores = 0;
  int connections = 0;     // closed-loop connections, and sysbench threads
  int read_messages = 0;  // GET /api/messages/ID picks one of this many per request
  int app_threads = 0;     // = reference Nginx workers
  double seconds_per_point = 0;
  double open_loop_cap = 0;  // the highest fixed rate offered
  std::string stack_url;

  std::vector<PointResult> points;
  SysbenchResult sysbench;
  int sysbench_threads = 0;
  double rss_idle_mib = 0;
  double rss_connections_mib = 0;
  IdleResult idle;
  std::vector<CurvePoint> curve;  // read-by-id through the whole stack, by offered rate
  double rate_within_p99_limit = 0;  // the highest offered rate with p99 under kStackP99LimitMs
  std::vector<Target> targets;
  std::vector<std::string> plots;  // file names beside REPORT.md
  double took_s = 0;
  // /proc/loadavg's 1-minute figure when the run started and ended: how busy the shared
  // machine was (2 cores: above 2, the lab's processes waited for a core).
  double load_at_start = 0;
  double load_at_end = 0;

  const PointResult* Find(const std::string& endpoint, const std::string& path) const {
    for (const auto& p : points)
      if (p.endpoint == endpoint && p.path == path) return &p;
    return nullptr;
  }
};

}  // namespace foobar::ctl::bench
