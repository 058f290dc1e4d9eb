// A fixed-rate (open-loop) HTTP client for one request repeated: request i is due at
// start + i/rate whatever happened to the earlier ones, and its latency counts from that
// scheduled time, so a stall shows in the percentiles (no coordinated omission). It reuses
// the chaos load's schedule and percentile code (ctl/chaos/load_schedule, load_stats); unlike
// the chaos mix it sends one method and target, which is what a benchmark point needs.
// Keep-alive connections are pooled; a new one opens whenever none is idle. Optional TLS
// (the whole stack is HTTPS); the certificate is not verified: this measures, it does not trust.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace foobar::ctl::bench {

struct FixedRequest {
  std::string method = "GET";
  std::string target = "/healthz";
  std::string host_header = "www.foobar.com";
  std::string body;          // sent with Content-Type: application/json when not empty
};

struct OpenLoopPlan {
  std::string address;       // IPv4
  int port = 80;
  bool tls = false;
  FixedRequest request;
  double rate = 100;         // requests per second
  double duration_s = 5;
  std::chrono::milliseconds timeout{2000};
  size_t max_in_flight = 0;  // 0: enough for rate x timeout, capped
};

struct OpenLoopResult {
  uint64_t sent = 0;
  uint64_t ok = 0;      // 2xx
  uint64_t failed = 0;  // anything else: status, timeout, refused, overloaded
  double duration_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;  // every request, from its scheduled time
  std::map<std::string, uint64_t> errors;  // failure reason -> count
};

// Runs the whole schedule on the calling thread, which must already be inside the sending
// host's network namespace. `stop` ends the schedule early.
OpenLoopResult RunOpenLoop(const OpenLoopPlan& plan, const std::atomic<bool>& stop);

}  // namespace foobar::ctl::bench
