// One MariaDB connection driven from an event loop with Connector/C's non-blocking API
// (MYSQL_OPT_NONBLOCK, *_start/*_cont): the coroutine waits for the socket in Asio where a
// database worker would block in recv. A read then runs on the thread that parsed the request,
// with no hand-off to a worker and back: perf showed those two thread switches per request
// costing more CPU than the app's own work (README "Performance").
//
// Owned and used by one event-loop thread (its io_context runs on that thread alone, so no
// readiness edge can arrive between a *_start that saw EAGAIN and the wait that follows it).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mysql.h>

#include "app/asio_fwd.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "app/config.h"
#include "app/db_connection.h"
#include "common/result.h"

namespace foobar::app {

class AsyncDbConnection {
 public:
  // Connects (same options as DbConnection::Connect) without blocking the loop.
  static asio::awaitable<Result<std::unique_ptr<AsyncDbConnection>>> Open(
      DbEndpoint endpoint, DbCredentials credentials, DbTimeouts timeouts);

  ~AsyncDbConnection();
  AsyncDbConnection(const AsyncDbConnection&) = delete;
  AsyncDbConnection& operator=(const AsyncDbConnection&) = delete;

  const DbEndpoint& endpoint() const { return endpoint_; }
  // As DbConnection::LooksAlive: closed by the server, or opened with replaced credentials.
  bool LooksAlive() const;
  // The same, but at most one check (a poll and a stat) per `interval`: in between, the last
  // answer stands (a connection the server closed meanwhile fails its read, and the caller
  // falls back).
  bool LooksAliveChecking(std::chrono::steady_clock::duration interval);

  // The prepared statement number `id`, prepared from `sql` on first use and reused after.
  asio::awaitable<Result<MYSQL_STMT*>> Statement(std::size_t id, const char* sql);
  // Executes `stmt` (parameters bound) and reads its whole result into client memory, so
  // the rows can be fetched afterwards with no I/O (FetchMessageRows).
  asio::awaitable<Status> ExecuteAndStore(MYSQL_STMT* stmt);

 private:
  AsyncDbConnection(asio::any_io_executor executor, MYSQL* mysql, DbEndpoint endpoint,
                    DbTimeouts timeouts);

  // Waits until the socket is ready for what Connector/C asked (`wait`: MYSQL_WAIT_* bits) or
  // its timeout passed, and returns what happened, for the matching *_cont call.
  asio::awaitable<int> WaitFor(int wait);
  // Takes a *_start call's `wait` and calls `cont(ready)` (its *_cont) after each wait, until
  // Connector/C asks for none: the one loop of every operation.
  template <typename Cont>
  asio::awaitable<void> Finish(int wait, Cont cont);

  MYSQL* mysql_;
  DbEndpoint endpoint_;
  std::chrono::milliseconds io_timeout_;
  std::string credentials_file_;
  CredentialsFileVersion credentials_version_;
  // Watches Connector/C's socket; released before mysql_close closes it.
  std::optional<asio::posix::stream_descriptor> socket_;
  asio::any_io_executor executor_;
  std::vector<MYSQL_STMT*> statements_;
  std::chrono::steady_clock::time_point checked_at_{};
};

}  // namespace foobar::app
