// Primary discovery. Each prober keeps one monitoring connection open to its server and
// runs a prepared SELECT @@global.read_only on it; state changes are logged, steady state
// is silent.
#include "app/primary_tracker.h"

#include <cstring>

#include "app/json_log.h"

namespace foobar::app {
namespace {

constexpr std::size_t kReadOnlyStatement = 0;
constexpr const char* kReadOnlySql = "SELECT @@global.read_only";

// True if the server is writable. Any error leaves the connection closed.
Result<bool> ProbeWritable(DbConnection& connection) {
  auto stmt = connection.Statement(kReadOnlyStatement, kReadOnlySql);
  if (!stmt.ok()) return stmt.error();
  if (mysql_stmt_execute(*stmt) != 0) return connection.LastError(*stmt);
  long long read_only = 1;
  my_bool is_null = 0;
  MYSQL_BIND bind;
  std::memset(&bind, 0, sizeof(bind));
  bind.buffer_type = MYSQL_TYPE_LONGLONG;
  bind.buffer = &read_only;
  bind.is_null = &is_null;
  if (mysql_stmt_bind_result(*stmt, &bind) != 0) return connection.LastError(*stmt);
  const int status = mysql_stmt_fetch(*stmt);
  if (status != 0) {
    Error error = status == 1 ? connection.LastError(*stmt) : Error{-4, "no row from probe"};
    mysql_stmt_free_result(*stmt);
    return error;
  }
  while (mysql_stmt_fetch(*stmt) == 0) {
  }
  return !is_null && read_only == 0;
}

}  // namespace

PrimaryChoice ChoosePrimary(const std::vector<ServerProbe>& probes,
                            std::chrono::steady_clock::time_point now,
                            std::chrono::steady_clock::duration max_age) {
  PrimaryChoice choice;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const ServerProbe& probe = probes[i];
    if (!probe.writable || now - probe.checked_at > max_age) continue;
    ++choice.writable_count;
    choice.index = static_cast<int>(i);
  }
  if (choice.writable_count != 1) choice.index = -1;
  return choice;
}

PrimaryTracker::PrimaryTracker(std::vector<DbEndpoint> servers, DbCredentials credentials,
                               Options options)
    : servers_(std::move(servers)),
      credentials_(std::move(credentials)),
      options_(options),
      probes_(servers_.size()) {}

PrimaryTracker::~PrimaryTracker() { Stop(); }

void PrimaryTracker::Start() {
  InitDbLibrary();
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    threads_.emplace_back([this, i] { ProbeLoop(i); });
  }
}

void PrimaryTracker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

std::optional<DbEndpoint> PrimaryTracker::Primary() const {
  const int index = primary_index_.load(std::memory_order_acquire);
  if (index < 0) return std::nullopt;
  return servers_[static_cast<std::size_t>(index)];
}

bool PrimaryTracker::PrimaryIsFresh() const {
  const int index = primary_index_.load(std::memory_order_acquire);
  if (index < 0) return false;
  std::lock_guard lock(mutex_);
  const ServerProbe& probe = probes_[static_cast<std::size_t>(index)];
  return probe.writable && std::chrono::steady_clock::now() - probe.checked_at <= options_.max_age;
}

void PrimaryTracker::RequestRecheck() {
  {
    std::lock_guard lock(mutex_);
    ++recheck_seq_;
  }
  cv_.notify_all();
}

void PrimaryTracker::ProbeLoop(std::size_t index) {
  const DbEndpoint& server = servers_[index];
  DbConnection connection;
  std::uint64_t seen_seq = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    ServerProbe probe;
    Error error;
    if (!connection.connected() || !connection.LooksAlive()) {
      if (auto status = connection.Connect(server, credentials_, options_.timeouts); !status.ok()) {
        error = status.error();
      }
    }
    if (connection.connected()) {
      auto writable = ProbeWritable(connection);
      if (writable.ok()) {
        probe.reachable = true;
        probe.writable = *writable;
      } else {
        error = writable.error();
        connection.Close();
      }
    }
    probe.checked_at = std::chrono::steady_clock::now();
    Record(index, probe, probe.reachable ? nullptr : &error);

    std::unique_lock lock(mutex_);
    // At least min_interval between probes, then wait for the interval or a recheck.
    cv_.wait_until(lock, started + options_.min_interval, [this] { return stopping_; });
    cv_.wait_until(lock, started + options_.interval,
                   [&] { return stopping_ || recheck_seq_ != seen_seq; });
    if (stopping_) break;
    seen_seq = recheck_seq_;
  }
}

void PrimaryTracker::Record(std::size_t index, const ServerProbe& probe, const Error* error) {
  std::lock_guard lock(mutex_);
  const ServerProbe previous = probes_[index];
  probes_[index] = probe;
  const std::string server = servers_[index].ToString();
  if (previous.reachable != probe.reachable || previous.checked_at == ServerProbe{}.checked_at) {
    if (probe.reachable) {
      LogEvent(LogLevel::kInfo, "database server reachable",
               {{"server", server}, {"read_only", !probe.writable}});
    } else {
      LogEvent(LogLevel::kWarn, "database server unreachable",
               {{"server", server},
                {"code", error ? error->code : 0},
                {"detail", error ? error->message : ""}});
    }
  } else if (probe.reachable && previous.writable != probe.writable) {
    LogEvent(LogLevel::kInfo, "database server read_only changed",
             {{"server", server}, {"read_only", !probe.writable}});
  }

  const PrimaryChoice choice =
      ChoosePrimary(probes_, std::chrono::steady_clock::now(), options_.max_age);
  const int old_index = primary_index_.exchange(choice.index, std::memory_order_acq_rel);
  if (old_index != choice.index) {
    if (choice.index >= 0) {
      LogEvent(LogLevel::kInfo, "database primary selected",
               {{"primary", servers_[static_cast<std::size_t>(choice.index)].ToString()}});
    } else {
      LogEvent(LogLevel::kError, "no database primary",
               {{"writable_servers", choice.writable_count}});
    }
  } else if (choice.writable_count > 1 && last_writable_count_ <= 1) {
    LogEvent(LogLevel::kError, "several database servers are writable; writes refused",
             {{"writable_servers", choice.writable_count}});
  }
  last_writable_count_ = choice.writable_count;
}

}  // namespace foobar::app
