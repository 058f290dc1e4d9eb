// The database section of `foobar status`: each server's role as the server itself reports
// it (read-only or not, replicating from whom, lag), and the cluster record the sentinels
// keep in etcd (primary, epoch, semi-sync, in-sync and fenced servers, leader).
#include <cstdio>
#include <fstream>

#include "common/db_cluster.h"
#include "ctl/commands/status_sections.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_etcd.h"
#include "ctl/lab/network.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/services.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
using nlohmann::json;
namespace {

std::optional<db_cluster::ClusterState> ReadRecord(const LabContext& lab, std::string& error) {
  LabEtcd etcd(lab);
  if (!etcd.Exists()) return std::nullopt;
  try {
    const auto text = etcd.Get(db_cluster::kClusterKey);
    db_cluster::ClusterState state;
    if (text && db_cluster::ParseJson(*text, state)) return state;
    error = text ? "malformed cluster record" : "no cluster record";
  } catch (const LabError& e) {
    error = e.what();
  }
  return std::nullopt;
}

// The sentinels' own view of themselves: each rewrites its status file every round.
json SentinelStatus(const LabContext& lab, std::string& leader) {
  json out = json::array();
  for (const Host* h : lab.topology.HostsRunning("sentinel")) {
    json entry = {{"host", h->name}, {"running", NamespaceExists(h->name) && ServiceRunning(lab, *h, "sentinel")}};
    std::ifstream in(SentinelStatusPath(lab.state.Host(h->name)));
    const json status = json::parse(in, nullptr, false);
    if (entry["running"].get<bool>() && status.is_object()) {
      entry["etcd_ok"] = status.value("etcd_ok", false);
      entry["is_leader"] = status.value("is_leader", false);
      if (entry["is_leader"].get<bool>()) leader = h->name;
    }
    out.push_back(entry);
  }
  return out;
}

}  // namespace

void AddDatabaseStatus(const LabContext& lab, json& status) {
  const auto servers = lab.topology.HostsRunning("mariadb");
  std::string record_error;
  const auto record = servers.size() > 1 ? ReadRecord(lab, record_error) : std::nullopt;
  std::vector<DbServerState> states;
  for (const Host* h : servers) {
    const bool running = NamespaceExists(h->name) && ServiceRunning(lab, *h, "mariadb");
    DbServerState stopped;
    stopped.host = h;
    states.push_back(running ? InspectDatabase(lab, *h) : stopped);
    if (!running) states.back().error = "not running";
  }
  const Host* writable = nullptr;
  int writable_count = 0;
  for (const auto& s : states)
    if (s.answers && !s.read_only) {
      writable = s.host;
      ++writable_count;
    }

  json databases = json::array();
  bool full_strength = writable_count == 1 && (!record || record->primary == writable->name);
  for (const auto& s : states) {
    const std::string& name = s.host->name;
    json entry = {{"host", name}, {"read_only", s.answers ? json(s.read_only) : json(nullptr)}, {"lag_s", nullptr}};
    std::string role;
    if (!s.answers) {
      role = "down";
      entry["error"] = s.error;
    } else if (!s.read_only) {
      role = "primary";
      entry["semi_sync"] = {{"enabled", s.semi_sync_master}, {"on", s.semi_sync_on}, {"clients", s.semi_sync_clients}};
    } else if (record && record->IsFenced(name)) {
      role = "fenced";
    } else if (s.replica_configured) {
      role = "replica";
    } else {
      role = "read-only";
    }
    entry["role"] = role;
    if (s.answers) entry["gtid"] = s.gtid_current_pos;
    if (s.replica_configured) {
      const Host* from = DatabaseHostAt(lab.topology, s.master_host);
      entry["replicates_from"] = from ? from->name : s.master_host;
      entry["replication"] = s.Replicating() ? "running" : "io " + s.io_running + ", sql " + s.sql_running;
      if (s.seconds_behind) entry["lag_s"] = *s.seconds_behind;
      if (!s.last_error.empty()) entry["replication_error"] = s.last_error;
    }
    if (record && role != "primary") entry["in_sync"] = record->IsInSync(name);
    if (s.host != writable) {
      const bool healthy_replica = s.answers && s.Replicating() && writable &&
                                   s.master_host == *writable->AddressOn("private") && (!record || record->IsInSync(name));
      if (!healthy_replica) full_strength = false;
    }
    databases.push_back(entry);
  }
  status["databases"] = databases;
  if (servers.size() < 2) return;

  std::string leader;
  json cluster = {{"sentinels", SentinelStatus(lab, leader)}, {"leader", leader.empty() ? json(nullptr) : json(leader)}};
  for (const auto& s : cluster["sentinels"])
    if (!s["running"].get<bool>()) full_strength = false;
  if (record) {
    cluster["primary"] = record->primary;
    cluster["epoch"] = record->epoch;
    cluster["semi_sync"] = record->semi_sync;
    cluster["in_sync"] = record->in_sync;
    cluster["fenced"] = record->fenced;
    cluster["reason"] = record->reason;
    cluster["changed_at"] = record->changed_at;
    if (!record->semi_sync || !record->fenced.empty()) full_strength = false;
  } else {
    cluster["error"] = record_error;
    full_strength = false;
  }
  if (writable_count > 1) cluster["split_brain"] = true;
  cluster["full_strength"] = full_strength;
  status["database_cluster"] = cluster;
}

void PrintDatabaseStatus(const json& status) {
  if (!status.contains("databases")) return;
  std::printf("\n  databases:\n");
  for (const auto& d : status["databases"]) {
    std::string detail;
    const std::string role = d.value("role", "?");
    if (d.contains("gtid")) detail += "gtid " + d["gtid"].get<std::string>();
    if (d.contains("semi_sync"))
      detail += std::string("  semi-sync ") + (d["semi_sync"]["on"].get<bool>() ? "on" : "off") + " (" +
                std::to_string(d["semi_sync"]["clients"].get<int>()) + " replica(s))";
    if (d.contains("replicates_from"))
      detail += "  from " + d["replicates_from"].get<std::string>() + " (" + d.value("replication", "") + ")";
    if (!d["lag_s"].is_null()) detail += "  lag " + std::to_string(d["lag_s"].get<long long>()) + " s";
    if (d.value("in_sync", false)) detail += "  in sync";
    if (d.contains("replication_error")) detail += "  error: " + d["replication_error"].get<std::string>();
    if (d.contains("error")) detail += d["error"].get<std::string>();
    std::printf("    %-8s %-9s %s\n", d["host"].get<std::string>().c_str(), role.c_str(), detail.c_str());
  }
  if (!status.contains("database_cluster")) return;
  const json& c = status["database_cluster"];
  if (c.contains("primary")) {
    std::string fenced;
    for (const auto& f : c["fenced"]) fenced += (fenced.empty() ? "" : ", ") + f.get<std::string>();
    std::printf("    record: primary %s, epoch %lld, semi-sync %s%s%s\n", c["primary"].get<std::string>().c_str(),
                c["epoch"].get<long long>(), c["semi_sync"].get<bool>() ? "on" : "OFF (writes on one server only)",
                fenced.empty() ? "" : ", fenced: ", fenced.c_str());
    if (!fenced.empty()) std::printf("    to rebuild a fenced server: foobar db rejoin HOST\n");
  } else {
    std::printf("    record: %s\n", c.value("error", std::string("unknown")).c_str());
  }
  std::string sentinels;
  for (const auto& s : c["sentinels"])
    sentinels += "  " + s["host"].get<std::string>() +
                 (s["running"].get<bool>() ? (s.value("is_leader", false) ? " (leader)" : "") : " (down)");
  std::printf("    sentinels:%s\n", sentinels.c_str());
  if (c.value("split_brain", false)) std::printf("    WARNING: more than one server is writable\n");
  std::printf("    full strength: %s\n", c["full_strength"].get<bool>() ? "yes" : "no");
}

}  // namespace foobar::ctl
