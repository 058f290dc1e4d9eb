// Jobs are built as named variables, not inside a co_await expression: g++ 12 can double
// free a capturing lambda that appears in the same expression as a co_await.
#include "app/mariadb_message_store.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/app_metrics.h"
#include "app/async_message_reads.h"
#include "app/db_errors.h"
#include "app/json_log.h"
#include "app/loop_read_connections.h"
#include "app/message_queries.h"
#include "app/read_batches.h"
#include "app/read_routing.h"
#include "app/write_retry.h"

namespace foobar::app {
namespace {

using Clock = std::chrono::steady_clock;

// Between checks for a rediscovered primary; each check also asks for fresh probes, which
// the tracker rate-limits per server.
constexpr auto kRediscoveryPoll = std::chrono::milliseconds(100);

// What a read tried on a replica came to.
template <typename T>
struct ReplicaRead {
  ReplicaReadOutcome outcome = ReplicaReadOutcome::kFailed;
  std::optional<T> value;  // set when kServed
};

// The replica job: wait for `last_write` (if any), then run `query`, on one connection.
template <typename T>
DbPool::Job<ReplicaRead<T>> ReplicaJob(DbPool::Job<T> query, std::optional<Gtid> last_write,
                                       double wait_s) {
  return [query = std::move(query), last_write,
          wait_s](DbConnection& connection) -> Result<ReplicaRead<T>> {
    if (last_write) {
      auto waited = WaitForGtid(connection, *last_write, wait_s);
      if (!waited.ok()) return waited.error();
      const ReplicaReadOutcome outcome = GtidWaitOutcome(*waited);
      if (outcome != ReplicaReadOutcome::kServed) return ReplicaRead<T>{outcome, std::nullopt};
    }
    auto value = query(connection);
    if (!value.ok()) return value.error();
    return ReplicaRead<T>{ReplicaReadOutcome::kServed, std::move(*value)};
  };
}

// `job`, first noting in `trace` (if any) which server runs it. Runs on the worker; the
// completion posted afterwards orders these writes before the session reads them.
template <typename T>
DbPool::Job<T> Traced(DbPool::Job<T> job, RequestTrace* trace, const char* target) {
  if (trace == nullptr) return job;
  return [job = std::move(job), trace, target](DbConnection& connection) -> Result<T> {
    trace->db_target = target;
    trace->db_server = connection.endpoint().ToString();
    return job(connection);
  };
}

}  // namespace

template <typename T>
asio::awaitable<std::optional<Result<T>>> MariaDbMessageStore::ReadOnLoop(DbPool& pool,
                                                                          LoopQuery<T> query,
                                                                          RequestTrace* trace) {
  const std::optional<DbEndpoint> endpoint = pool.CurrentEndpoint();
  if (!endpoint) co_return std::nullopt;
  LoopReadConnections& connections = LoopReadConnections::ForThisThread();
  auto acquired = co_await connections.Acquire(*endpoint, pool.credentials(), pool.timeouts());
  if (!acquired) co_return std::nullopt;
  const DbPoolMetrics& metrics = pool.metrics();
  if (!acquired->ok()) {
    metrics.error->Inc();
    router_.RequestRecheck();  // as the pool's workers report a server they cannot reach
    co_return std::optional<Result<T>>(acquired->error());
  }
  std::unique_ptr<AsyncDbConnection> connection = std::move(**acquired);
  if (trace != nullptr) {
    trace->db_target = "replica";
    trace->db_server = endpoint->ToString();
  }
  const auto started = Clock::now();
  Result<T> result = co_await query(*connection);
  metrics.duration->Observe(std::chrono::duration<double>(Clock::now() - started).count());
  if (result.ok()) {
    metrics.ok->Inc();
    connections.Release(std::move(connection));
  } else {
    metrics.error->Inc();
    connections.Discard(std::move(connection));
    if (ClassifyDbError(result.error().code) == DbErrorKind::kConnection) router_.RequestRecheck();
  }
  co_return std::optional<Result<T>>(std::move(result));
}

template <typename T>
asio::awaitable<Result<T>> MariaDbMessageStore::Read(DbPool::Job<T> query, LoopRead<T> loop_read,
                                                     std::optional<Gtid> last_write,
                                                     RequestTrace* trace) {
  const ReadPlan plan = PlanRead(router_.NextHealthyReplica(), last_write);
  bool replica_failed = false;
  if (plan.source == ReadSource::kReplica && !plan.wait_for_gtid) {
    std::optional<Result<T>> on_loop = co_await loop_read(router_.ReplicaPool(plan.replica));
    if (on_loop && on_loop->ok()) co_return std::move(*on_loop);
    replica_failed = on_loop.has_value();
  }
  if (replica_failed) {
    // Reads are idempotent: the primary serves, as after any failed replica read.
    ProcessMetrics().CountReadFallback(ReadFallback::kReplicaFailed);
    if (trace != nullptr) trace->db_fallback = "replica_failed";
  } else if (plan.source == ReadSource::kReplica) {
    DbPool::Job<ReplicaRead<T>> job = Traced<ReplicaRead<T>>(
        ReplicaJob<T>(query, plan.wait_for_gtid ? last_write : std::nullopt,
                      GtidWaitTimeoutSeconds(options_.read_your_writes_timeout)),
        trace, "replica");
    Result<ReplicaRead<T>> attempt = co_await router_.ReplicaPool(plan.replica).Run(std::move(job));
    const ReplicaReadOutcome outcome =
        attempt.ok() ? attempt->outcome : ReplicaReadOutcome::kFailed;
    if (plan.wait_for_gtid) ProcessMetrics().CountReadYourWritesWait(outcome);
    if (!ReadOnPrimaryAfter(outcome)) co_return std::move(*attempt->value);
    const ReadFallback reason = outcome == ReplicaReadOutcome::kNotCaughtUp
                                    ? ReadFallback::kNotCaughtUp
                                    : ReadFallback::kReplicaFailed;
    ProcessMetrics().CountReadFallback(reason);
    if (trace != nullptr) {
      trace->db_fallback =
          reason == ReadFallback::kNotCaughtUp ? "not_caught_up" : "replica_failed";
    }
  }
  DbPool::Job<T> on_primary = Traced<T>(std::move(query), trace, "primary");
  co_return co_await router_.PrimaryPool().Run(std::move(on_primary));
}

asio::awaitable<Result<std::vector<Message>>> MariaDbMessageStore::ListNewest(
    int limit, std::optional<Gtid> last_write) {
  DbPool::Job<std::vector<Message>> query = [limit](DbConnection& connection) {
    return SelectNewestMessages(connection, limit);
  };
  RequestTrace* trace = CurrentRequestTrace();
  LoopRead<std::vector<Message>> loop_read = [this, limit, trace](DbPool& pool) {
    LoopQuery<std::vector<Message>> newest = [limit](AsyncDbConnection& connection) {
      return SelectNewestMessagesOnLoop(connection, static_cast<std::uint64_t>(limit));
    };
    return ReadOnLoop<std::vector<Message>>(pool, std::move(newest), trace);
  };
  co_return co_await Read(std::move(query), std::move(loop_read), last_write, trace);
}

asio::awaitable<Result<std::optional<Message>>> MariaDbMessageStore::Get(
    std::uint64_t id, std::optional<Gtid> last_write) {
  DbPool::Job<std::optional<Message>> query = [id](DbConnection& connection) {
    return SelectMessage(connection, id);
  };
  RequestTrace* trace = CurrentRequestTrace();
  LoopRead<std::optional<Message>> loop_read = [this, id, trace](DbPool& pool) {
    return GetOnLoop(pool, id, trace);
  };
  co_return co_await Read(std::move(query), std::move(loop_read), last_write, trace);
}

asio::awaitable<std::optional<Result<std::optional<Message>>>> MariaDbMessageStore::GetOnLoop(
    DbPool& pool, std::uint64_t id, RequestTrace* trace) {
  static_assert(ReadBatches::kMaxBatch <= kMaxIdsPerSelect);
  const std::optional<DbEndpoint> endpoint = pool.CurrentEndpoint();
  if (!endpoint) co_return std::nullopt;
  // One query for the batch: its metrics count one query, as the server sees one.
  ReadBatches::RunBatch run = [this, &pool](std::vector<std::uint64_t> ids) {
    LoopQuery<std::vector<Message>> by_ids = [ids = std::move(ids)](AsyncDbConnection& connection) {
      return SelectMessagesOnLoop(connection, ids);
    };
    return ReadOnLoop<std::vector<Message>>(pool, std::move(by_ids), nullptr);
  };
  const std::string server = endpoint->ToString();
  auto answer = co_await ReadBatches::ForThisThread().Get(server, id, std::move(run));
  if (answer && trace != nullptr) {
    trace->db_target = "replica";
    trace->db_server = server;
  }
  co_return answer;
}

asio::awaitable<Result<StoredMessage>> MariaDbMessageStore::Insert(
    NewMessage message, std::optional<std::string> idempotency_key) {
  RequestTrace* const trace = CurrentRequestTrace();  // before the first suspension
  bool some_outcome_unknown = false;
  for (int attempt = 1;; ++attempt) {
    DbPool::Job<StoredMessage> job = Traced<StoredMessage>(
        [message, idempotency_key](DbConnection& connection) {
          return InsertMessage(connection, message, idempotency_key);
        },
        trace, "primary");
    Result<StoredMessage> result = co_await router_.PrimaryPool().Run(std::move(job));
    if (result.ok()) co_return result;
    const auto failed_at = Clock::now();
    const WriteFailure failure = ClassifyWriteFailure(result.error().code);
    some_outcome_unknown = some_outcome_unknown || failure == WriteFailure::kOutcomeUnknown;
    if (!ShouldRetryWrite(failure, idempotency_key.has_value(), attempt)) {
      co_return FinalWriteError(some_outcome_unknown, result.error());
    }
    LogEvent(LogLevel::kWarn, "write failed; retrying on the rediscovered primary",
             {{"code", result.error().code},
              {"detail", result.error().message},
              {"idempotency_key", idempotency_key.has_value()}});
    if (!co_await AwaitPrimary(failed_at)) {
      co_return FinalWriteError(
          some_outcome_unknown,
          Error{kDbErrNoPrimary, "no primary confirmed after the failed write"});
    }
  }
}

asio::awaitable<bool> MariaDbMessageStore::AwaitPrimary(Clock::time_point since) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = Clock::now() + options_.primary_rediscovery;
  for (;;) {
    router_.RequestRecheck();
    if (router_.PrimaryConfirmedSince(since)) co_return true;
    if (Clock::now() >= deadline) co_return false;
    timer.expires_after(kRediscoveryPoll);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace foobar::app
