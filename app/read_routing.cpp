// Read routing decisions; the store (mariadb_message_store.cpp) carries them out.
#include "app/read_routing.h"

namespace foobar::app {

ReadPlan PlanRead(int healthy_replica, const std::optional<Gtid>& last_write) {
  if (healthy_replica < 0) return ReadPlan{};
  return ReadPlan{ReadSource::kReplica, healthy_replica, last_write.has_value()};
}

bool ReadOnPrimaryAfter(ReplicaReadOutcome outcome) {
  return outcome != ReplicaReadOutcome::kServed;
}

ReplicaReadOutcome GtidWaitOutcome(const std::optional<long long>& wait_result) {
  return wait_result == 0 ? ReplicaReadOutcome::kServed : ReplicaReadOutcome::kNotCaughtUp;
}

double GtidWaitTimeoutSeconds(std::chrono::milliseconds timeout) {
  return static_cast<double>(timeout.count()) / 1000.0;
}

}  // namespace foobar::app
