#include "sentinel/cluster_store.h"

#include "sentinel/event_log.h"
#include "sentinel/server_view.h"

namespace foobar::sentinel {
using nlohmann::json;

Result<ClusterRecord> ReadCluster(EtcdClient& etcd) {
  auto kv = etcd.Get(db_cluster::kClusterKey);
  if (!kv.ok()) return kv.error();
  ClusterRecord record;
  if (!kv->has_value()) return record;
  if (!db_cluster::ParseJson((*kv)->value, record.state))
    return Error{0, std::string("malformed cluster record at ") + db_cluster::kClusterKey};
  record.exists = true;
  record.mod_revision = (*kv)->mod_revision;
  return record;
}

Status WriteCluster(EtcdClient& etcd, const std::string& leader, const ClusterRecord& previous,
                    db_cluster::ClusterState next) {
  const int64_t now = WallMs();
  next.changed_at_ms = now;
  next.changed_at = IsoTimeUtc(now);
  if (next.primary != previous.state.primary || next.epoch != previous.state.epoch) next.primary_since_ms = now;
  const json compare = json::array({txn::ValueEquals(db_cluster::kLeaderKey, leader),
                                    txn::ModRevisionEquals(db_cluster::kClusterKey, previous.mod_revision)});
  auto done = etcd.Txn(compare, json::array({txn::Put(db_cluster::kClusterKey, json(next).dump())}));
  if (!done.ok()) return done.error();
  if (!*done) return Error{0, "the cluster record changed or this sentinel no longer leads"};
  return OkStatus();
}

Result<std::vector<Opinion>> ReadOpinions(EtcdClient& etcd) {
  auto kvs = etcd.GetPrefix(db_cluster::kOpinionPrefix);
  if (!kvs.ok()) return kvs.error();
  std::vector<Opinion> out;
  for (const auto& kv : *kvs)
    if (auto o = ParseOpinion(kv.value)) out.push_back(std::move(*o));
  return out;
}

Status PublishOpinion(EtcdClient& etcd, const Opinion& opinion, int64_t lease) {
  return etcd.Put(db_cluster::kOpinionPrefix + opinion.sentinel, ToJson(opinion).dump(), lease);
}

Result<std::optional<PendingRequest>> ReadRequest(EtcdClient& etcd) {
  auto kv = etcd.Get(db_cluster::kRequestKey);
  if (!kv.ok()) return kv.error();
  if (!kv->has_value()) return std::optional<PendingRequest>{};
  PendingRequest pending;
  pending.mod_revision = (*kv)->mod_revision;
  pending.malformed = !db_cluster::ParseJson((*kv)->value, pending.request) || pending.request.id.empty();
  return std::optional<PendingRequest>{pending};
}

Result<bool> TakeRequest(EtcdClient& etcd, const std::string& leader, const PendingRequest& pending) {
  return etcd.Txn(json::array({txn::ValueEquals(db_cluster::kLeaderKey, leader),
                               txn::ModRevisionEquals(db_cluster::kRequestKey, pending.mod_revision)}),
                  json::array({txn::Delete(db_cluster::kRequestKey)}));
}

Status PutReply(EtcdClient& etcd, const db_cluster::Reply& reply) {
  return etcd.Put(db_cluster::kReplyPrefix + reply.id, json(reply).dump());
}

}  // namespace foobar::sentinel
