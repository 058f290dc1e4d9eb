// Asking the sentinel leader to do something (`foobar db switchover`, the end of `foobar db
// rejoin`): the request goes into etcd, the leader takes it, acts, and puts its reply under
// the request's id. One request at a time; the wait is bounded.
#pragma once

#include <chrono>
#include <string>

#include "common/db_cluster.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Sends {op, host} and waits up to `bound` for the reply; throws LabError when nobody
// answers in time (the request is withdrawn then) or etcd is unreachable.
db_cluster::Reply AskSentinelLeader(const LabContext& lab, const std::string& op, const std::string& host,
                                    std::chrono::milliseconds bound);

// The cluster record; throws LabError if etcd does not answer or has none.
db_cluster::ClusterState ReadClusterRecord(const LabContext& lab);

}  // namespace foobar::ctl
