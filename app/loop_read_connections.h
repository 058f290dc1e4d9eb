// Each event-loop thread's own connections to the replicas, for reads that need no wait
// (AsyncDbConnection). Bounded per server; idle ones are checked every second and closed when
// the server closed them, when the credentials file was replaced (`foobar secrets rotate`
// waits for every connection of the old account to go, as the worker pools' do), or after
// kIdleLimit unused, so a thread that stops reading from a server lets its connections go.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/asio_fwd.h"
#include "app/async_db_connection.h"
#include "app/config.h"
#include "app/db_connection.h"
#include "common/result.h"

namespace foobar::app {

class LoopReadConnections {
 public:
  static constexpr int kMaxPerServer = 16;
  static constexpr auto kIdleLimit = std::chrono::seconds(30);

  // The calling event-loop thread's set.
  static LoopReadConnections& ForThisThread();

  // An idle connection to `endpoint`, else a new one while this thread has fewer than
  // kMaxPerServer open to it. nullopt at the limit: the caller uses the worker pool instead.
  asio::awaitable<std::optional<Result<std::unique_ptr<AsyncDbConnection>>>> Acquire(
      const DbEndpoint& endpoint, const DbCredentials& credentials, const DbTimeouts& timeouts);
  // After a read that worked: kept for the next one.
  void Release(std::unique_ptr<AsyncDbConnection> connection);
  // After a failure: closed.
  void Discard(std::unique_ptr<AsyncDbConnection> connection);

 private:
  struct Idle {
    std::unique_ptr<AsyncDbConnection> connection;
    std::chrono::steady_clock::time_point since;
  };

  asio::awaitable<void> Upkeep();
  void CloseStale();

  std::vector<Idle> idle_;
  std::map<std::string, int> open_;  // per server: idle + in use
  bool upkeep_running_ = false;
};

}  // namespace foobar::app
