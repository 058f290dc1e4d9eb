// A fixed-rate (open-loop) HTTP client for one request repeated: request i is due at
// start + i/rate whatever happened to the earlier ones, and its latency counts from that
// scheduled time, so a stall shows in the percentiles (no coordinated omission). It reuses
// the chaos load's schedule and percentile code (ctl/chaos/load_schedule, load_stats); unlike
// the chaos mix it sends one method and target, which is what a benchmark point needs.
// A fixed pool of keep-alive connections, all opened (connect + TLS handshake) before request 0
// is due, as wrk opens its connections before it counts; a request finding them all busy
// waits for the first one freed (that wait counts in its latency). Opening connections on
// demand instead made the figures swing from run to run: a handshake costs ~3 ms of CPU here,
// so a stall made requests open connections, whose handshakes made the next stall (measured:
// at 1,430 req/s through the stack every request on a fresh connection took > 10 ms; at
// 10,000 req/s to Nginx some runs opened 4,000 connections and failed requests). A connection
// the server closes is replaced; over TLS the new one resumes an earlier session, as a browser
// does. The certificate is not verified: this measures, it does not trust.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace foobar::ctl::bench {

struct FixedRequest {
  std::string method = "GET";
  std::string target = "/healthz";
  // When not empty: request i goes to targets[i % size] instead (e.g. a shuffled list of
  // message ids, so reads are spread over rows as in the closed-loop run).
  std::vector<std::string> targets;
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
  size_t connections = 0;  // the pool; 0: ConnectionsFor(rate)
};

// The pool for `rate`: rate / 100, at least 4 and at most 32 (wrk's count in the bench). More
// is not kinder to the figures: to Nginx at 10,000 req/s, p99 was 10 ms with 16 connections and
// 20 ms with 128 (the server then takes bursts of concurrent requests instead of a queue).
size_t ConnectionsFor(double rate);

struct OpenLoopResult {
  uint64_t sent = 0;
  uint64_t ok = 0;      // 2xx
  uint64_t failed = 0;  // anything else: status, timeout, refused, overloaded
  uint64_t connections_opened = 0;  // during the schedule, to replace closed ones
  double duration_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;  // every request, from its scheduled time
  std::map<std::string, uint64_t> errors;  // failure reason -> count
};

// Runs the whole schedule on the calling thread, which must already be inside the sending
// host's network namespace. `stop` ends the schedule early.
OpenLoopResult RunOpenLoop(const OpenLoopPlan& plan, const std::atomic<bool>& stop);

}  // namespace foobar::ctl::bench
