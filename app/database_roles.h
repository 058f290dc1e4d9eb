// Which database server does what, decided from each server's last probe: the primary (the
// one writable server) and the replicas reads may go to. Pure functions: the prober threads
// (role_tracker.h) feed them, tests feed them by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace foobar::app {

// The last probe result of one server.
struct ServerProbe {
  bool reachable = false;
  bool writable = false;  // reachable and read_only = 0
  std::chrono::steady_clock::time_point checked_at{};
  // Replication, probed on read-only servers only:
  bool replicating = false;        // every replication channel has its IO and SQL thread running
  std::optional<long long> lag_s;  // the largest Seconds_Behind_Master; nullopt if unknown
  // When the probe began: a probe that began after a failed write tells the state after it.
  std::chrono::steady_clock::time_point started_at{};
};

struct PrimaryChoice {
  int index = -1;          // into the server list; -1 when there is no primary
  int writable_count = 0;  // > 1 means split brain: no primary is chosen
};

// The primary given each server's last probe: the single writable server whose probe is
// not older than `max_age`. Several writable servers choose none: writing to either could
// lose data, and whoever promoted them has to settle it first.
PrimaryChoice ChoosePrimary(const std::vector<ServerProbe>& probes,
                            std::chrono::steady_clock::time_point now,
                            std::chrono::steady_clock::duration max_age);

// A replica that reads may go to: a fresh probe found it reachable and read-only, with its
// replication threads running and at most `max_lag_s` seconds behind its primary.
bool IsHealthyReplica(const ServerProbe& probe, std::chrono::steady_clock::time_point now,
                      std::chrono::steady_clock::duration max_age, int max_lag_s);

// A set of server indexes (bit i = server i); the server list is capped at 64.
using ServerSet = std::uint64_t;
inline constexpr std::size_t kMaxServers = 64;

ServerSet HealthyReplicas(const std::vector<ServerProbe>& probes,
                          std::chrono::steady_clock::time_point now,
                          std::chrono::steady_clock::duration max_age, int max_lag_s);

// Round robin over `replicas`: the (turn mod count)-th member in index order, or -1 when the
// set is empty (reads then go to the primary).
int PickReplica(ServerSet replicas, std::uint64_t turn);

}  // namespace foobar::app
