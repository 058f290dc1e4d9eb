#include "sentinel/sentinel.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include "sentinel/cluster_store.h"

namespace foobar::sentinel {
using namespace std::chrono_literals;
using nlohmann::json;
namespace {

// A sentinel republishes at least this often; more often (every round) while a server is in
// a fresh state change, so the leader's count of "for how long" is never stale by much.
constexpr int64_t kHeartbeatMs = 1000;
constexpr int64_t kFreshChangeMs = 10000;

bool InFreshChange(const Opinion& opinion) {
  for (const auto& [name, o] : opinion.servers)
    if ((!o.up && o.down_ms < kFreshChangeMs) || (!o.writable && o.not_writable_ms < kFreshChangeMs)) return true;
  return false;
}

}  // namespace

Sentinel::Sentinel(Config config)
    : config_(std::move(config)),
      log_(config_.name),
      etcd_(config_.etcd_endpoints, 1s),
      prober_(config_),
      leadership_(config_, log_),
      procedures_(config_, log_, etcd_, leadership_) {}

int Sentinel::Run(const std::atomic<bool>& stop) {
  InitDbLibrary();
  json servers = json::array();
  for (const auto& s : config_.servers) servers.push_back(s.name + "=" + s.address);
  log_.Write("start", {{"sentinels", config_.sentinels},
                       {"majority", config_.Majority()},
                       {"servers", servers},
                       {"etcd", config_.etcd_endpoints},
                       {"confirm_ms", config_.timing.confirm.count()},
                       {"probe_interval_ms", config_.timing.probe_interval.count()}});
  prober_.Start();
  leadership_.Start();
  while (!stop.load()) {
    const auto started = std::chrono::steady_clock::now();
    Round();
    std::this_thread::sleep_until(started + config_.timing.probe_interval);
  }
  leadership_.Stop();
  leadership_.Resign(etcd_);
  prober_.Stop();
  log_.Write("stop");
  return 0;
}

void Sentinel::Round() {
  const auto own = prober_.Snapshot();
  const int64_t now = WallMs();
  const bool was_ok = etcd_ok_;
  etcd_ok_ = leadership_.Tick(etcd_);
  if (etcd_ok_ != was_ok)
    log_.Write(etcd_ok_ ? "etcd.connected" : "etcd.unreachable", {{"endpoint", etcd_.current_endpoint()}});
  if (etcd_ok_) Publish(own, now);
  if (etcd_ok_ && leadership_.IsLeader()) Lead(own, now);
  WriteStatus(own, now);
}

void Sentinel::Publish(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms) {
  const Opinion opinion = MakeOpinion(config_.name, own, now_ms);
  const bool due = now_ms - last_published_ms_ >= kHeartbeatMs || ChangedMaterially(last_published_, opinion) ||
                   InFreshChange(opinion);
  if (!due || leadership_.lease() == 0) return;
  if (PublishOpinion(etcd_, opinion, leadership_.lease()).ok()) {
    if (ChangedMaterially(last_published_, opinion)) log_.Write("opinion", ToJson(opinion));
    last_published_ = opinion;
    last_published_ms_ = now_ms;
  }
}

void Sentinel::LogThrottled(const std::string& key, const std::string& event, const json& fields) {
  const int64_t now = WallMs();
  auto& last = throttle_[key];
  if (now - last < 5000) return;
  last = now;
  log_.Write(event, fields);
}

void Sentinel::Lead(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms) {
  auto record = ReadCluster(etcd_);
  if (!record.ok()) {
    LogThrottled("record.error", "record.unreadable", {{"error", record.error().message}});
    return;
  }
  if (!record->exists) {
    LogThrottled("record.missing", "record.missing", {{"key", db_cluster::kClusterKey},
                                                      {"why", "`foobar up` writes it; nothing to do before"}});
    return;
  }
  auto opinions = ReadOpinions(etcd_);
  if (!opinions.ok()) return;
  DecisionInput input;
  input.config = &config_;
  input.state = record->state;
  input.own = own;
  input.opinions = FreshOpinions(*opinions, config_, now_ms);
  input.now_ms = now_ms;
  const Action action = Decide(input);

  if (action.kind == ActionKind::kStuck) {
    LogThrottled("stuck", "stuck", {{"primary", action.host}, {"reason", action.reason}});
  } else if (action.kind != ActionKind::kNone) {
    const std::string key = std::string(ActionName(action.kind)) + "/" + action.host + "/" + action.target;
    if (key != last_action_)
      log_.Write("decision", {{"action", ActionName(action.kind)},
                              {"host", action.host},
                              {"target", action.target},
                              {"reason", action.reason}});
    last_action_ = key;
    if (procedures_.Execute(action, *record)) last_action_.clear();
    return;  // one action per round: the next round sees what it did
  }
  last_action_.clear();

  auto pending = ReadRequest(etcd_);
  if (!pending.ok() || !pending->has_value()) return;
  auto taken = TakeRequest(etcd_, config_.name, **pending);
  if (!taken.ok() || !*taken) return;
  db_cluster::Reply reply;
  if ((*pending)->malformed) {
    reply.message = "malformed request";
    log_.Write("request.malformed");
    return;
  }
  if (action.kind == ActionKind::kStuck) {
    reply.id = (*pending)->request.id;
    reply.message = "the cluster is not healthy: " + action.reason;
  } else {
    reply = procedures_.Handle((*pending)->request, *record, input);
  }
  if (auto put = PutReply(etcd_, reply); !put.ok())
    log_.Write("reply.failed", {{"id", reply.id}, {"error", put.error().message}});
}

void Sentinel::WriteStatus(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms) {
  if (config_.status_file.empty()) return;
  json servers = json::array();
  for (const auto& server : config_.servers) {
    const auto it = own.find(server.name);
    if (it != own.end()) servers.push_back(ToJson(it->second));
  }
  const json status = {{"sentinel", config_.name},
                       {"at_ms", now_ms},
                       {"etcd_ok", etcd_ok_},
                       {"leader", leadership_.leader_name()},
                       {"is_leader", leadership_.IsLeader()},
                       {"servers", servers}};
  const std::filesystem::path path = config_.status_file;
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << status.dump() << "\n";
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

}  // namespace foobar::sentinel
