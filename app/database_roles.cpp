// Role decisions. A stale probe (older than max_age: the prober is stuck on a black-holed
// server) counts as "unknown", which is never healthy and never the primary.
#include "app/database_roles.h"

#include <bit>

namespace foobar::app {

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

bool IsHealthyReplica(const ServerProbe& probe, std::chrono::steady_clock::time_point now,
                      std::chrono::steady_clock::duration max_age, int max_lag_s) {
  return probe.reachable && !probe.writable && now - probe.checked_at <= max_age &&
         probe.replicating && probe.lag_s.has_value() && *probe.lag_s >= 0 &&
         *probe.lag_s <= max_lag_s;
}

ServerSet HealthyReplicas(const std::vector<ServerProbe>& probes,
                          std::chrono::steady_clock::time_point now,
                          std::chrono::steady_clock::duration max_age, int max_lag_s) {
  ServerSet set = 0;
  for (std::size_t i = 0; i < probes.size() && i < kMaxServers; ++i) {
    if (IsHealthyReplica(probes[i], now, max_age, max_lag_s)) set |= ServerSet{1} << i;
  }
  return set;
}

int PickReplica(ServerSet replicas, std::uint64_t turn) {
  const int count = std::popcount(replicas);
  if (count == 0) return -1;
  std::uint64_t skip = turn % static_cast<std::uint64_t>(count);
  for (int i = 0; i < static_cast<int>(kMaxServers); ++i) {
    if ((replicas >> i & 1u) == 0) continue;
    if (skip-- == 0) return i;
  }
  return -1;  // unreachable: popcount said there are members
}

}  // namespace foobar::app
