#include "app/loop_read_connections.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace foobar::app {
namespace {

constexpr auto kUpkeepInterval = std::chrono::seconds(1);

}  // namespace

LoopReadConnections& LoopReadConnections::ForThisThread() {
  // One per event-loop thread, alive until the thread ends (after its io_context stopped).
  thread_local LoopReadConnections connections;
  return connections;
}

asio::awaitable<std::optional<Result<std::unique_ptr<AsyncDbConnection>>>> LoopReadConnections::Acquire(
    const DbEndpoint& endpoint, const DbCredentials& credentials, const DbTimeouts& timeouts) {
  using Acquired = std::optional<Result<std::unique_ptr<AsyncDbConnection>>>;
  if (!upkeep_running_) {
    upkeep_running_ = true;
    asio::co_spawn(co_await asio::this_coro::executor, Upkeep(), asio::detached);
  }
  // The most recently used first: its socket and the server's thread are the warmest.
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if (!(it->connection->endpoint() == endpoint)) continue;
    std::unique_ptr<AsyncDbConnection> connection = std::move(it->connection);
    idle_.erase(std::next(it).base());
    if (connection->LooksAliveChecking(kUpkeepInterval)) co_return Acquired(std::move(connection));
    --open_[endpoint.ToString()];  // closed by the server or on old credentials: drop it
    break;
  }
  int& open = open_[endpoint.ToString()];
  if (open >= kMaxPerServer) co_return std::nullopt;
  ++open;
  auto opened = co_await AsyncDbConnection::Open(endpoint, credentials, timeouts);
  if (!opened.ok()) --open_[endpoint.ToString()];
  co_return Acquired(std::move(opened));
}

void LoopReadConnections::Release(std::unique_ptr<AsyncDbConnection> connection) {
  idle_.push_back(Idle{std::move(connection), std::chrono::steady_clock::now()});
}

void LoopReadConnections::Discard(std::unique_ptr<AsyncDbConnection> connection) {
  --open_[connection->endpoint().ToString()];
}

void LoopReadConnections::CloseStale() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(idle_, [&](Idle& idle) {
    if (now - idle.since < kIdleLimit && idle.connection->LooksAlive()) return false;
    --open_[idle.connection->endpoint().ToString()];
    return true;
  });
}

asio::awaitable<void> LoopReadConnections::Upkeep() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(kUpkeepInterval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    CloseStale();
  }
}

}  // namespace foobar::app
