// Finds the primary among the configured database servers: the one server whose
// @@global.read_only is 0. Every server is probed by its own thread (so one black-holed
// server cannot delay the others) about once a second, and at once on RequestRecheck(),
// which the pool calls after a write fails with a connection or read-only error.
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
#include "app/db_connection.h"

namespace foobar::app {

// The last probe result of one server.
struct ServerProbe {
  bool reachable = false;
  bool writable = false;  // reachable and read_only = 0
  std::chrono::steady_clock::time_point checked_at{};
};

struct PrimaryChoice {
  int index = -1;          // into the server list; -1 when there is no primary
  int writable_count = 0;  // > 1 means split brain: no primary is chosen
};

// The primary given each server's last probe: the single writable server whose probe is
// not older than `max_age`. Several writable servers choose none: writing to either could
// lose data, and a later HA step will have to settle it anyway.
PrimaryChoice ChoosePrimary(const std::vector<ServerProbe>& probes,
                            std::chrono::steady_clock::time_point now,
                            std::chrono::steady_clock::duration max_age);

class PrimaryTracker {
 public:
  struct Options {
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds min_interval{100};  // bounds probes caused by rechecks
    std::chrono::milliseconds max_age{2500};      // a probe older than this does not count
    DbTimeouts timeouts{1, 1, 1};                 // a probe must not hang for long
  };

  PrimaryTracker(std::vector<DbEndpoint> servers, DbCredentials credentials, Options options);
  ~PrimaryTracker();
  PrimaryTracker(const PrimaryTracker&) = delete;
  PrimaryTracker& operator=(const PrimaryTracker&) = delete;

  void Start();
  void Stop();

  // The current primary, if any. Lock-free: called before every database job.
  std::optional<DbEndpoint> Primary() const;

  // True when there is a primary and it answered a probe within max_age.
  bool PrimaryIsFresh() const;

  // Probes every server now (subject to min_interval). Thread-safe, cheap.
  void RequestRecheck();

 private:
  void ProbeLoop(std::size_t index);
  void Record(std::size_t index, const ServerProbe& probe, const Error* error);

  const std::vector<DbEndpoint> servers_;
  const DbCredentials credentials_;
  const Options options_;

  std::atomic<int> primary_index_{-1};

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ServerProbe> probes_;  // guarded by mutex_
  std::uint64_t recheck_seq_ = 0;    // guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  int last_writable_count_ = 0;      // guarded by mutex_, for logging changes only
  std::vector<std::thread> threads_;
};

}  // namespace foobar::app
