// Database worker threads. Each worker keeps its connection pointed at the current target:
// it reconnects when the target moves (failover), when the server closed the idle
// connection, and after any connection-level error. Idle workers also do this every
// second, so the pool is warm before the first request and recovers without traffic.
#include "app/db_pool.h"

#include "app/db_errors.h"
#include "app/json_log.h"

namespace foobar::app {
namespace {

constexpr auto kIdleMaintenance = std::chrono::seconds(1);

}  // namespace

DbPool::DbPool(Options options, EndpointSource endpoint_source, FailureListener on_failure)
    : options_(std::move(options)),
      endpoint_source_(std::move(endpoint_source)),
      on_failure_(std::move(on_failure)),
      metrics_(ProcessMetrics().ForPool(options_.name)) {}

DbPool::~DbPool() { Stop(); }

void DbPool::Start() {
  InitDbLibrary();
  metrics_.size->Set(options_.size);
  for (int i = 0; i < options_.size; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(static_cast<std::size_t>(i)); });
  }
}

void DbPool::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
  std::deque<std::unique_ptr<Task>> leftover;
  {
    std::lock_guard lock(mutex_);
    leftover.swap(queue_);
  }
  for (auto& task : leftover) task->Fail(Error{kDbErrShuttingDown, "shutting down"});
}

void DbPool::Submit(std::unique_ptr<Task> task) {
  task->enqueued_at = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back(std::move(task));
      cv_.notify_one();
      return;
    }
  }
  metrics_.unavailable->Inc();
  task->Fail(Error{kDbErrOverloaded, "database queue full"});
}

std::unique_ptr<DbPool::Task> DbPool::Pop() {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, kIdleMaintenance, [this] { return stopping_ || !queue_.empty(); });
  if (stopping_ || queue_.empty()) return nullptr;
  auto task = std::move(queue_.front());
  queue_.pop_front();
  return task;
}

Status DbPool::EnsureConnected(DbConnection& connection, bool& announced_down) {
  const auto target = endpoint_source_();
  if (!target) {
    connection.Close();
    // The primary pool: no primary known. A replica pool: the server is not a replica now.
    return Error{kDbErrNoPrimary, options_.name + ": no server to use right now"};
  }
  if (connection.connected() && (!(connection.endpoint() == *target) || !connection.LooksAlive())) {
    connection.Close();
  }
  if (connection.connected()) return OkStatus();
  auto status = connection.Connect(*target, options_.credentials, options_.timeouts);
  if (!status.ok()) {
    // One line per worker per outage, not one per attempt.
    if (!announced_down) {
      LogEvent(LogLevel::kWarn, "database connection failed",
               {{"pool", options_.name},
                {"server", target->ToString()},
                {"code", status.error().code},
                {"detail", status.error().message}});
      announced_down = true;
    }
    return status;
  }
  if (announced_down) {
    LogEvent(LogLevel::kInfo, "database connection restored",
             {{"pool", options_.name}, {"server", target->ToString()}});
    announced_down = false;
  }
  return OkStatus();
}

void DbPool::WorkerLoop(std::size_t /*index*/) {
  DbConnection connection;
  bool announced_down = false;
  for (;;) {
    std::unique_ptr<Task> task = Pop();
    if (task == nullptr) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
      }
      (void)EnsureConnected(connection, announced_down);  // idle upkeep
      continue;
    }
    const auto taken = std::chrono::steady_clock::now();
    metrics_.wait->Observe(std::chrono::duration<double>(taken - task->enqueued_at).count());
    if (taken - task->enqueued_at > options_.max_queue_wait) {
      metrics_.unavailable->Inc();
      task->Fail(Error{kDbErrOverloaded, "request waited too long for a database connection"});
      continue;
    }
    if (auto status = EnsureConnected(connection, announced_down); !status.ok()) {
      // Also when no primary is known: traffic should not wait a whole probe interval
      // to find a primary that just came back (the tracker bounds the probe rate).
      if (ClassifyDbError(status.error().code) == DbErrorKind::kConnection ||
          status.error().code == kDbErrNoPrimary) {
        on_failure_(status.error());
      }
      metrics_.unavailable->Inc();
      task->Fail(status.error());
      continue;
    }
    metrics_.in_use->Add(1);
    const auto started = std::chrono::steady_clock::now();
    const std::optional<Error> error = task->Run(connection);
    metrics_.duration->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    metrics_.in_use->Add(-1);
    (error ? metrics_.error : metrics_.ok)->Inc();
    if (!error) continue;
    const DbErrorKind kind = ClassifyDbError(error->code);
    if (kind == DbErrorKind::kConnection) connection.Close();
    if (kind == DbErrorKind::kConnection || kind == DbErrorKind::kReadOnly) on_failure_(*error);
  }
  connection.Close();
}

}  // namespace foobar::app
