// The chaos run's load: a constant-rate, open-loop HTTPS (or HTTP) client. Request i is sent at
// start + i/rate whatever happened to the earlier ones (a hung request never delays the
// next: each runs as a coroutine of its own), and its latency is counted from that
// scheduled time. Requests are spread round robin over the site's addresses; each address
// has a pool of keep-alive connections, a new one opened whenever none is idle. Over TLS, a new
// connection's handshake verifies the certificate against plan.ca_file and host_header.
//
// A request that failed on a REUSED keep-alive connection before any byte of a response
// came back (closed or reset, not a timeout) is sent once more on a fresh connection, as
// browsers and HTTP libraries do: the server may have closed the idle connection just as we
// sent. POSTs too: each carries an Idempotency-Key, which is what makes that safe.
//
// Bounded: the schedule's length, a per-request deadline (scheduled time + timeout), and at
// most max_in_flight requests at once (one due beyond that fails as "overloaded" at once).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ctl/chaos/load_schedule.h"
#include "ctl/chaos/request_record.h"

namespace foobar::ctl::chaos {

struct LoadPlan {
  std::vector<std::string> addresses;  // IPv4 addresses of the site
  int port = 443;
  std::string host_header;             // "www.foobar.com": also the name the certificate must carry
  // PEM file of the CA the site's certificate must chain to; empty: plain HTTP, no TLS.
  std::string ca_file;
  double rate = 50;                    // requests per second
  double duration_s = 20;
  std::chrono::milliseconds timeout{2000};
  size_t max_in_flight = 0;            // 0: twice what rate and timeout can keep in flight
  std::string run_id;                  // makes every Idempotency-Key and body unique
  uint64_t seed = 1;
  LoadMix mix;
};

// Runs the whole schedule on the calling thread, which must already be inside the load
// generator's network namespace (every socket is created by this thread). `start` is time
// zero of the schedule; `stop` is checked before each send and ends the schedule early.
// Returns one record per request sent, in scheduled order, once every one has finished.
std::vector<RequestRecord> RunLoad(const LoadPlan& plan, std::chrono::steady_clock::time_point start,
                                   const std::atomic<bool>& stop);

}  // namespace foobar::ctl::chaos
