// Finds out what each configured database server is right now: the primary (the one server
// whose @@global.read_only is 0) and the replicas fit to read from (read-only, replication
// threads running, lag within replica_max_lag_s). Every server is probed by its own thread,
// so one black-holed server cannot delay the others, about once a second and at once on
// RequestRecheck(), which the pools call after a connection or read-only error.
//
// The hot path (Primary(), NextHealthyReplica(), ReplicaEndpoint()) reads atomics only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "app/config.h"
#include "app/database_roles.h"
#include "app/db_connection.h"

namespace foobar::app {

class RoleTracker {
 public:
  struct Options {
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds min_interval{100};  // bounds probes caused by rechecks
    std::chrono::milliseconds max_age{2500};      // a probe older than this does not count
    DbTimeouts timeouts{1, 1, 1};                 // a probe must not hang for long
    int replica_max_lag_s = 5;
  };

  // At most kMaxServers servers (the config enforces it).
  RoleTracker(std::vector<DbEndpoint> servers, DbCredentials credentials, Options options);
  ~RoleTracker();
  RoleTracker(const RoleTracker&) = delete;
  RoleTracker& operator=(const RoleTracker&) = delete;

  void Start();
  void Stop();

  const std::vector<DbEndpoint>& servers() const { return servers_; }

  // The current primary, if any.
  std::optional<DbEndpoint> Primary() const;

  // True when there is a primary and it answered a probe within max_age.
  bool PrimaryIsFresh() const;

  // The primary, if a probe that began after `since` found it writable: after a failed
  // write, the primary to retry on (the old one re-confirmed, or its successor).
  std::optional<DbEndpoint> PrimaryConfirmedSince(
      std::chrono::steady_clock::time_point since) const;

  // Server `index` while its last probe found it reachable and read-only (healthy or not):
  // where that server's read pool keeps its connections.
  std::optional<DbEndpoint> ReplicaEndpoint(std::size_t index) const;

  // The next healthy replica in round-robin order, or -1 if there is none.
  int NextHealthyReplica();

  // Probes every server now (subject to min_interval). Thread-safe, cheap.
  void RequestRecheck();

 private:
  void ProbeLoop(std::size_t index);
  ServerProbe ProbeOnce(DbConnection& connection, std::size_t index, Error& error);
  void Record(std::size_t index, const ServerProbe& probe, const Error* error);
  void LogChanges(std::size_t index, const ServerProbe& previous, const ServerProbe& probe,
                  const Error* error, bool was_healthy, bool is_healthy);

  const std::vector<DbEndpoint> servers_;
  const DbCredentials credentials_;
  const Options options_;

  std::atomic<int> primary_index_{-1};
  std::atomic<ServerSet> read_only_servers_{0};  // reachable and read-only
  std::atomic<ServerSet> healthy_replicas_{0};
  std::atomic<std::uint64_t> replica_turn_{0};

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ServerProbe> probes_;  // guarded by mutex_
  std::uint64_t recheck_seq_ = 0;    // guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  int last_writable_count_ = 0;      // guarded by mutex_, for logging changes only
  // Per server: the errno of the last failed SHOW ALL SLAVES STATUS (0: none), so that a
  // replica that can never serve (e.g. no SLAVE MONITOR grant) is logged once. Guarded by
  // mutex_.
  std::vector<int> replication_error_;
  std::vector<std::thread> threads_;
};

}  // namespace foobar::app
