#include "ctl/lab/sentinel_request.h"

#include <sys/random.h>

#include <thread>

#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_etcd.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

std::string RequestId(const std::string& op) {
  unsigned char bytes[4];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) throw LabError("getrandom failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = op + "-" +
                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()) +
                   "-";
  for (unsigned char b : bytes) id += {kHex[b >> 4], kHex[b & 15]};
  return id;
}

}  // namespace

db_cluster::ClusterState ReadClusterRecord(const LabContext& lab) {
  LabEtcd etcd(lab);
  const auto text = etcd.Get(db_cluster::kClusterKey);
  db_cluster::ClusterState state;
  if (!text) throw LabError(std::string("etcd has no cluster record (") + db_cluster::kClusterKey + "); run `foobar up`");
  if (!db_cluster::ParseJson(*text, state)) throw LabError("the cluster record in etcd is malformed");
  return state;
}

db_cluster::Reply AskSentinelLeader(const LabContext& lab, const std::string& op, const std::string& host,
                                    std::chrono::milliseconds bound) {
  LabEtcd etcd(lab);
  if (etcd.Get(db_cluster::kRequestKey))
    throw LabError("another request to the sentinels is pending; try again in a few seconds");
  db_cluster::Request request{RequestId(op), op, host};
  const std::string reply_key = db_cluster::kReplyPrefix + request.id;
  etcd.Put(db_cluster::kRequestKey, nlohmann::json(request).dump());
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    const auto text = etcd.Get(reply_key);
    if (!text) continue;
    etcd.Delete(reply_key);
    db_cluster::Reply reply;
    if (!db_cluster::ParseJson(*text, reply)) throw LabError("malformed reply from the sentinel leader");
    return reply;
  }
  // Withdraw it unless the leader took it meanwhile (then its reply is simply never read).
  const auto pending = etcd.Get(db_cluster::kRequestKey);
  db_cluster::Request still;
  if (pending && db_cluster::ParseJson(*pending, still) && still.id == request.id) etcd.Delete(db_cluster::kRequestKey);
  throw LabError("no sentinel leader answered within " + std::to_string(bound.count() / 1000) +
                 " s (are the sentinels running? `foobar status`)");
}

}  // namespace foobar::ctl
