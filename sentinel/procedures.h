// The leader's procedures: failover, switchover, fencing, the semi-sync switches and the
// bookkeeping of the cluster record, each a sequence of db_actions steps with one log line
// per step. The order of the steps is what keeps acknowledged writes and the single
// primary safe (README.md explains each); every step is idempotent, so a leader that dies
// half-way leaves a cluster the next leader can finish or redo.
#pragma once

#include <map>
#include <string>

#include "common/db_cluster.h"
#include "sentinel/cluster_store.h"
#include "sentinel/config.h"
#include "sentinel/decision.h"
#include "sentinel/etcd_client.h"
#include "sentinel/event_log.h"
#include "sentinel/leadership.h"

namespace foobar::sentinel {

class Procedures {
 public:
  Procedures(const Config& config, EventLog& log, EtcdClient& etcd, const Leadership& leadership)
      : config_(config), log_(log), etcd_(etcd), leadership_(leadership) {}

  // Carries out a decision; true if it completed.
  bool Execute(const Action& action, const ClusterRecord& record);

  // An operator's request (the decision this round was kNone, or kStuck).
  db_cluster::Reply Handle(const db_cluster::Request& request, const ClusterRecord& record,
                           const DecisionInput& input);

 private:
  bool Failover(const ClusterRecord& record, const std::string& old_name, const std::string& new_name,
                const std::string& reason);
  bool Refence(const std::string& host, const std::string& reason);
  bool Reopen(const ClusterRecord& record, const std::string& host, const std::string& reason);
  bool Degrade(const ClusterRecord& record, const std::string& host, const std::string& reason);
  bool EnforceSemiSync(const ClusterRecord& record, const std::string& host, const std::string& reason);
  bool RestoreSemiSync(const ClusterRecord& record, const std::string& host, const std::string& replica);
  bool MarkInSync(const ClusterRecord& record, const std::string& host, const std::string& reason);
  db_cluster::Reply Switchover(const db_cluster::Request& request, const ClusterRecord& record,
                               const DecisionInput& input);
  db_cluster::Reply Rejoined(const db_cluster::Request& request, const ClusterRecord& record,
                             const DecisionInput& input);

  // Writes the record, logging `event` with its outcome.
  bool Record(const ClusterRecord& previous, const db_cluster::ClusterState& next, const std::string& event);
  const DbServer& Server(const std::string& name) const;

  const Config& config_;
  EventLog& log_;
  EtcdClient& etcd_;
  const Leadership& leadership_;
};

}  // namespace foobar::sentinel
