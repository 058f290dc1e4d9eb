// The sentinel's keys in etcd (common/db_cluster.h names them): the cluster record, which
// only the leader changes and only while it still holds the leader key; the opinions; the
// operator's requests and the leader's replies.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/db_cluster.h"
#include "common/result.h"
#include "sentinel/etcd_client.h"
#include "sentinel/opinion.h"

namespace foobar::sentinel {

struct ClusterRecord {
  bool exists = false;
  db_cluster::ClusterState state;
  int64_t mod_revision = 0;
};

Result<ClusterRecord> ReadCluster(EtcdClient& etcd);

// Writes `next` (stamped with the time of the change) if `leader` still holds the leader key
// and the record is still `previous`; an error otherwise, and nothing is written.
Status WriteCluster(EtcdClient& etcd, const std::string& leader, const ClusterRecord& previous,
                    db_cluster::ClusterState next);

Result<std::vector<Opinion>> ReadOpinions(EtcdClient& etcd);
Status PublishOpinion(EtcdClient& etcd, const Opinion& opinion, int64_t lease);

struct PendingRequest {
  db_cluster::Request request;
  int64_t mod_revision = 0;
  bool malformed = false;
};
Result<std::optional<PendingRequest>> ReadRequest(EtcdClient& etcd);
// Deletes the request if it is still the one read and `leader` still leads: true if this
// call took it (nobody else will handle it).
Result<bool> TakeRequest(EtcdClient& etcd, const std::string& leader, const PendingRequest& pending);
Status PutReply(EtcdClient& etcd, const db_cluster::Reply& reply);

}  // namespace foobar::sentinel
