// Listener and event-loop threads. Accept errors such as EMFILE are retried after a pause
// instead of spinning; an exception escaping a session is logged, not fatal.
#include "app/http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/json_log.h"

namespace foobar::app {
namespace {

using tcp = asio::ip::tcp;

constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

std::string ExceptionText(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, RequestHandler& handler)
    : options_(std::move(options)), handler_(handler) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  const int threads = options_.threads < 1 ? 1 : options_.threads;
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->session_context =
        SessionContext{&handler_,       &worker->registry, options_.host_name,
                       options_.limits, options_.metrics,  options_.access_log};
    workers_.push_back(std::move(worker));
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return Error{1, "bad listen address " + options_.address};
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(workers_[0]->io);
  if (acceptor_->open(endpoint.protocol(), ec); !ec) {
    acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);  // restart over TIME_WAIT
    acceptor_->bind(endpoint, ec);
  }
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{1, "cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                        ": " + ec.message()};
  }
  bound_port_ = acceptor_->local_endpoint(ec).port();

  asio::co_spawn(workers_[0]->io, AcceptLoop(), [this](std::exception_ptr error) {
    if (error) LogEvent(LogLevel::kError, "accept loop failed", {{"error", ExceptionText(error)}});
    live_.Close();
  });
  for (auto& worker : workers_) {
    Worker* raw = worker.get();
    worker->thread = std::thread([this, raw] { RunWorker(*raw); });
  }
  return OkStatus();
}

void HttpServer::RunWorker(Worker& worker) {
  for (;;) {
    try {
      worker.io.run();
      return;
    } catch (const std::exception& e) {
      // A handler threw (allocation failure, a bug): keep serving the other connections.
      LogEvent(LogLevel::kError, "event loop exception", {{"error", e.what()}});
    }
  }
}

asio::awaitable<void> HttpServer::AcceptLoop() {
  std::size_t next = 0;
  asio::steady_timer pause(workers_[0]->io);
  for (;;) {
    Worker& worker = *workers_[next++ % workers_.size()];
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_->async_accept(worker.io, asio::redirect_error(asio::use_awaitable, ec));
    if (!acceptor_->is_open()) co_return;  // drain
    if (ec) {
      LogEvent(LogLevel::kWarn, "accept failed", {{"error", ec.message()}});
      pause.expires_after(kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    live_.Add();
    asio::co_spawn(
        worker.io, RunSession(std::move(socket), &worker.session_context),
        [this](std::exception_ptr error) {
          if (error) {
            LogEvent(LogLevel::kError, "session failed", {{"error", ExceptionText(error)}});
          }
          live_.Remove();
        });
  }
}

void HttpServer::BeginDrain() {
  if (workers_.empty()) return;
  asio::post(workers_[0]->io, [this] {
    boost::system::error_code ec;
    acceptor_->close(ec);
  });
  for (auto& worker : workers_) {
    Worker* raw = worker.get();
    asio::post(raw->io, [raw] { raw->registry.Drain(); });
  }
}

bool HttpServer::WaitDrained(std::chrono::steady_clock::time_point deadline) {
  return live_.WaitIdle(deadline);
}

void HttpServer::Stop() {
  for (auto& worker : workers_) {
    worker->work.reset();
    worker->io.stop();
  }
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace foobar::app
