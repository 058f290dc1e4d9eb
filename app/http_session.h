// One HTTP/1.1 connection: reads requests (keep-alive, pipelining), enforces the limits
// and timeouts, hands each request to the RequestHandler, writes the response and logs it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/asio_fwd.h"

#include <boost/asio/ip/tcp.hpp>

#include "app/connection_registry.h"
#include "app/http_metrics.h"
#include "app/request_handler.h"

namespace foobar::app {

struct SessionLimits {
  std::size_t header_bytes = 8 * 1024;               // request line + headers; more gets 431
  std::uint64_t body_bytes = 16 * 1024;              // more gets 413
  std::chrono::milliseconds header_timeout{10'000};  // first byte to complete request
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait between requests
  std::chrono::milliseconds write_timeout{10'000};
};

// Everything a session needs; owned by the server, outlives all sessions.
struct SessionContext {
  RequestHandler* handler = nullptr;
  ConnectionRegistry* registry = nullptr;  // of the io_context the session runs on
  std::string host_name;
  SessionLimits limits;
  HttpMetrics* metrics = nullptr;  // requests counted there when set
  bool access_log = true;          // one JSON line per request on stdout
};

// Runs until the connection closes. Never throws for network or protocol errors.
// `context` must outlive the coroutine.
asio::awaitable<void> RunSession(asio::ip::tcp::socket socket, const SessionContext* context);

}  // namespace foobar::app
