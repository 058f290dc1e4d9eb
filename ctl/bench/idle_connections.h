// Holds many idle keep-alive HTTP connections open to one server, the way a crowd of
// browsers between clicks does: each connection sends one request, reads its answer, then
// stays open and silent. Used to measure what idle connections cost a server (its RSS).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace foobar::ctl::bench {

struct IdlePlan {
  std::string address;  // IPv4
  int port = 8080;
  std::string target = "/healthz";
  std::string host_header = "www.foobar.com";
  int connections = 1000;
  std::chrono::milliseconds hold{10000};  // how long to keep them once all are open
};

struct IdleResult {
  int opened = 0;    // connections that got their first answer
  int failed = 0;
  int still_open = 0;  // of the opened ones, not closed by the server when the hold ended
};

// On the calling thread, which must be inside the sending host's namespace. `on_ready` is
// called once every connection has been tried; the hold then lasts until `hold` passes or
// `stop` is set.
IdleResult HoldIdleConnections(const IdlePlan& plan, const std::function<void(const IdleResult&)>& on_ready,
                               const std::atomic<bool>& stop);

}  // namespace foobar::ctl::bench
