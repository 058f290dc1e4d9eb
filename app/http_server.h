// The HTTP listener and its threads.
//
// Threading: one io_context per thread (run by that thread alone), and one acceptor that
// hands each accepted socket to the next io_context in turn. A connection therefore lives
// on one thread for its whole life: no strands and no locks on the request path, and
// database completions are posted straight back to that thread. One acceptor dealing out
// connections keeps the load even and avoids SO_REUSEPORT, which would let a stale second
// instance silently take half of the connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/asio_fwd.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "app/connection_registry.h"
#include "app/http_session.h"
#include "app/request_handler.h"
#include "common/result.h"

namespace foobar::app {

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // numeric
  std::uint16_t port = 8080;          // 0: any free port (tests)
  int threads = 2;
  std::string host_name;
  SessionLimits limits;
  HttpMetrics* metrics = nullptr;  // must outlive the server; nullptr: not counted
  bool access_log = true;
};

class HttpServer {
 public:
  // `handler` must outlive the server.
  HttpServer(HttpServerOptions options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, then starts the threads. Errors (address in use...) are returned.
  Status Start();
  std::uint16_t port() const { return bound_port_; }

  // Graceful drain: stop accepting, close idle connections, let busy ones finish their
  // current request (answered with Connection: close). Returns at once.
  void BeginDrain();
  // True when every connection has ended; false if `deadline` came first.
  bool WaitDrained(std::chrono::steady_clock::time_point deadline);
  int open_connections() const { return live_.count(); }

  // Stops the event loops and joins the threads (after a drain, or to abort).
  void Stop();

 private:
  struct Worker {
    asio::io_context io{1};  // concurrency hint: run by one thread
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    ConnectionRegistry registry;
    SessionContext session_context;
    std::thread thread;
  };

  asio::awaitable<void> AcceptLoop();
  void RunWorker(Worker& worker);

  const HttpServerOptions options_;
  RequestHandler& handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;  // lives on workers_[0]
  std::uint16_t bound_port_ = 0;
  LiveConnections live_;
};

}  // namespace foobar::app
