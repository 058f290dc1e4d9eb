// The MessageStore backed by MariaDB. Reads go to a healthy replica, after a bounded wait
// for the client's last write when it sent one, and fall back to the primary (see
// read_routing.h). Writes go to the primary and are retried once across a failover when
// that is safe (see write_retry.h).
#pragma once

#include <chrono>
#include <functional>

#include "app/async_db_connection.h"
#include "app/database_router.h"
#include "app/db_pool.h"
#include "app/message_store.h"
#include "app/request_trace.h"

namespace foobar::app {

class MariaDbMessageStore : public MessageStore {
 public:
  struct Options {
    std::chrono::milliseconds read_your_writes_timeout{500};
    // How long a failed write waits for a primary to be (re)confirmed before its retry.
    std::chrono::milliseconds primary_rediscovery{3000};
  };

  // `router` must outlive this object.
  MariaDbMessageStore(DatabaseRouter& router, Options options)
      : router_(router), options_(options) {}

  asio::awaitable<Result<std::vector<Message>>> ListNewest(int limit,
                                                           std::optional<Gtid> last_write) override;
  asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id,
                                                      std::optional<Gtid> last_write) override;
  asio::awaitable<Result<StoredMessage>> Insert(
      NewMessage message, std::optional<std::string> idempotency_key) override;

 private:
  // `trace`: the request's (request_trace.h), or nullptr; taken by the public calls at their
  // entry, before any suspension.
  // A read on an event-loop connection (async_message_reads.h).
  template <typename T>
  using LoopQuery = std::function<asio::awaitable<Result<T>>(AsyncDbConnection&)>;
  // A read with nothing to wait for on the replica picked (its pool given), served on this
  // thread's own connection to it; nullopt when the loop can't take it now: the pool's turn.
  template <typename T>
  using LoopRead = std::function<asio::awaitable<std::optional<Result<T>>>(DbPool& replica_pool)>;

  // `loop_read` first when the plan allows it (LoopRead); `query` runs on the pools otherwise
  // and after a failed loop read.
  template <typename T>
  asio::awaitable<Result<T>> Read(DbPool::Job<T> query, LoopRead<T> loop_read,
                                  std::optional<Gtid> last_write, RequestTrace* trace);

  // nullopt when the loop can't take the read now (the server is not a replica now, or this
  // thread has its maximum of connections to it open and busy): the pool's turn.
  template <typename T>
  asio::awaitable<std::optional<Result<T>>> ReadOnLoop(DbPool& pool, LoopQuery<T> query,
                                                       RequestTrace* trace);

  // Get's loop read: joins this turn's batch of reads by id for the pool's server
  // (read_batches.h).
  asio::awaitable<std::optional<Result<std::optional<Message>>>> GetOnLoop(DbPool& pool,
                                                                           std::uint64_t id,
                                                                           RequestTrace* trace);

  // True once a primary is confirmed by a probe begun after `since`, within
  // primary_rediscovery.
  asio::awaitable<bool> AwaitPrimary(std::chrono::steady_clock::time_point since);

  DatabaseRouter& router_;
  const Options options_;
};

}  // namespace foobar::app
