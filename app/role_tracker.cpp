// Role discovery. Each prober keeps one monitoring connection open to its server and runs
// a prepared SELECT @@global.read_only on it, plus SHOW ALL SLAVES STATUS when the server
// is read-only; state changes are logged, steady state is silent.
#include "app/role_tracker.h"

#include <cstring>

#include "app/db_errors.h"
#include "app/json_log.h"
#include "app/replica_status.h"

namespace foobar::app {
namespace {

// Statement slots of the prober's own connection.
constexpr std::size_t kReadOnlyStatement = 0;
constexpr std::size_t kReplicationStatement = 1;
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

bool Has(ServerSet set, std::size_t index) { return (set >> index & 1u) != 0; }

}  // namespace

RoleTracker::RoleTracker(std::vector<DbEndpoint> servers, DbCredentials credentials,
                         Options options)
    : servers_(std::move(servers)),
      credentials_(std::move(credentials)),
      options_(options),
      probes_(servers_.size()),
      replication_error_(servers_.size(), 0) {}

RoleTracker::~RoleTracker() { Stop(); }

void RoleTracker::Start() {
  InitDbLibrary();
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    threads_.emplace_back([this, i] { ProbeLoop(i); });
  }
}

void RoleTracker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

std::optional<DbEndpoint> RoleTracker::Primary() const {
  const int index = primary_index_.load(std::memory_order_acquire);
  if (index < 0) return std::nullopt;
  return servers_[static_cast<std::size_t>(index)];
}

bool RoleTracker::PrimaryIsFresh() const {
  const int index = primary_index_.load(std::memory_order_acquire);
  if (index < 0) return false;
  std::lock_guard lock(mutex_);
  const ServerProbe& probe = probes_[static_cast<std::size_t>(index)];
  return probe.writable && std::chrono::steady_clock::now() - probe.checked_at <= options_.max_age;
}

std::optional<DbEndpoint> RoleTracker::PrimaryConfirmedSince(
    std::chrono::steady_clock::time_point since) const {
  const int index = primary_index_.load(std::memory_order_acquire);
  if (index < 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  const ServerProbe& probe = probes_[static_cast<std::size_t>(index)];
  if (!probe.writable || probe.started_at <= since) return std::nullopt;
  return servers_[static_cast<std::size_t>(index)];
}

std::optional<DbEndpoint> RoleTracker::ReplicaEndpoint(std::size_t index) const {
  if (!Has(read_only_servers_.load(std::memory_order_acquire), index)) return std::nullopt;
  return servers_[index];
}

int RoleTracker::NextHealthyReplica() {
  return PickReplica(healthy_replicas_.load(std::memory_order_acquire),
                     replica_turn_.fetch_add(1, std::memory_order_relaxed));
}

void RoleTracker::RequestRecheck() {
  {
    std::lock_guard lock(mutex_);
    ++recheck_seq_;
  }
  cv_.notify_all();
}

ServerProbe RoleTracker::ProbeOnce(DbConnection& connection, std::size_t index, Error& error) {
  ServerProbe probe;
  probe.started_at = std::chrono::steady_clock::now();
  if (!connection.connected() || !connection.LooksAlive()) {
    if (auto status = connection.Connect(servers_[index], credentials_, options_.timeouts);
        !status.ok()) {
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
  if (probe.reachable && !probe.writable) {
    auto channels = QueryReplicationChannels(connection, kReplicationStatement);
    if (channels.ok()) {
      const ReplicationHealth health = SummarizeReplication(*channels);
      probe.replicating = health.replicating;
      probe.lag_s = health.lag_s;
    } else {
      // Not a replica we can vouch for (e.g. the app user lacks SLAVE MONITOR): reads skip
      // it. The connection is dropped either way: global grants reach a session only when
      // it connects, so a grant given later is seen at the next probe.
      error = channels.error();
      connection.Close();
      if (ClassifyDbError(error.code) == DbErrorKind::kConnection) probe.reachable = false;
    }
  }
  probe.checked_at = std::chrono::steady_clock::now();
  return probe;
}

void RoleTracker::ProbeLoop(std::size_t index) {
  DbConnection connection;
  std::uint64_t seen_seq = 0;
  for (;;) {
    Error error;
    const ServerProbe probe = ProbeOnce(connection, index, error);
    Record(index, probe, error.code != 0 ? &error : nullptr);

    std::unique_lock lock(mutex_);
    // At least min_interval between probes, then wait for the interval or a recheck.
    cv_.wait_until(lock, probe.started_at + options_.min_interval, [this] { return stopping_; });
    cv_.wait_until(lock, probe.started_at + options_.interval,
                   [&] { return stopping_ || recheck_seq_ != seen_seq; });
    if (stopping_) break;
    seen_seq = recheck_seq_;
  }
}

void RoleTracker::Record(std::size_t index, const ServerProbe& probe, const Error* error) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const ServerSet was_healthy = healthy_replicas_.load(std::memory_order_relaxed);
  const ServerProbe previous = probes_[index];
  probes_[index] = probe;

  ServerSet read_only = 0;
  for (std::size_t i = 0; i < probes_.size(); ++i) {
    if (probes_[i].reachable && !probes_[i].writable) read_only |= ServerSet{1} << i;
  }
  const ServerSet healthy =
      HealthyReplicas(probes_, now, options_.max_age, options_.replica_max_lag_s);
  read_only_servers_.store(read_only, std::memory_order_release);
  healthy_replicas_.store(healthy, std::memory_order_release);
  LogChanges(index, previous, probe, error, Has(was_healthy, index), Has(healthy, index));

  const PrimaryChoice choice = ChoosePrimary(probes_, now, options_.max_age);
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

void RoleTracker::LogChanges(std::size_t index, const ServerProbe& previous,
                             const ServerProbe& probe, const Error* error, bool was_healthy,
                             bool is_healthy) {
  const std::string server = servers_[index].ToString();
  const bool first = previous.checked_at == ServerProbe{}.checked_at;
  if (previous.reachable != probe.reachable || first) {
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
  // Reachable with an error: SHOW ALL SLAVES STATUS failed, but the server answered.
  const int replication_error = probe.reachable && error != nullptr ? error->code : 0;
  if (replication_error != replication_error_[index]) {
    if (replication_error != 0) {
      LogEvent(LogLevel::kWarn, "database replica status unreadable; reads skip it",
               {{"server", server}, {"code", error->code}, {"detail", error->message}});
    }
    replication_error_[index] = replication_error;
  }
  if (was_healthy != is_healthy && (is_healthy || !probe.writable)) {
    nlohmann::json fields = {{"server", server}, {"replicating", probe.replicating}};
    fields["lag_s"] = probe.lag_s ? nlohmann::json(*probe.lag_s) : nlohmann::json(nullptr);
    if (error != nullptr && probe.reachable) fields["detail"] = error->message;
    LogEvent(is_healthy ? LogLevel::kInfo : LogLevel::kWarn,
             is_healthy ? "database replica serves reads" : "database replica left out of reads",
             fields);
  }
}

}  // namespace foobar::app
