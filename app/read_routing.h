// Where a read goes. Reads go to a healthy replica (round robin, see database_roles.h) and
// to the primary only when no replica is healthy. A read carrying the client's last write
// (the fb_rw cookie, rw_cookie.h) first waits on the replica, boundedly, for that GTID:
// 0 means the replica has it and serves; a timeout, NULL or any error means the primary
// serves. Any failed replica read is retried on the primary: reads are idempotent.
#pragma once

#include <chrono>
#include <optional>

#include "app/gtid.h"

namespace foobar::app {

enum class ReadSource { kReplica, kPrimary };

struct ReadPlan {
  ReadSource source = ReadSource::kPrimary;
  int replica = -1;            // the server index when source is kReplica
  bool wait_for_gtid = false;  // run the GTID wait on the replica before reading
};

// `healthy_replica`: the next healthy replica's index, or -1 if none.
ReadPlan PlanRead(int healthy_replica, const std::optional<Gtid>& last_write);

// The outcome of a read tried on a replica.
enum class ReplicaReadOutcome {
  kServed,       // the replica answered
  kNotCaughtUp,  // the wait did not return 0 in time (or the server is no longer a replica)
  kFailed,       // an error on the replica (connection, statement)
};

// Whether the primary must serve the read after the replica's attempt.
bool ReadOnPrimaryAfter(ReplicaReadOutcome outcome);

// Interprets SELECT IF(@@global.read_only = 1, MASTER_GTID_WAIT(gtid, timeout), -2):
// 0 caught up; -1 timed out; -2 not read-only (a primary: the wait never ran there);
// NULL (nullopt) bad arguments.
ReplicaReadOutcome GtidWaitOutcome(const std::optional<long long>& wait_result);

// MASTER_GTID_WAIT's timeout argument, in seconds.
double GtidWaitTimeoutSeconds(std::chrono::milliseconds timeout);

}  // namespace foobar::app
