#include "ctl/render/sentinel_config.h"

#include <fmt/format.h>

#include <iterator>

#include "ctl/render/etcd_config.h"
#include "ctl/render/render_common.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

std::string TomlStrings(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + QuotedString(item);
  return "[" + out + "]";
}

// Another host's tree: every host's sits beside the rendered one's (StatePaths::Host).
HostPaths SiblingHostPaths(const RenderContext& ctx, const std::string& host_name) {
  return HostPaths{ctx.paths.root.parent_path() / host_name};
}

}  // namespace

std::string SentinelDbPasswordFile(const std::string& host_name) { return "db-sentinel." + host_name + ".password"; }

std::filesystem::path SentinelConfigPath(const HostPaths& paths) {
  return paths.Etc() / "sentinel" / "sentinel.toml";
}

std::filesystem::path SentinelStatusPath(const HostPaths& paths) {
  return paths.Run() / "sentinel-status.json";
}

std::string RenderSentinelConfig(const RenderContext& ctx) {
  std::vector<std::string> sentinels;
  for (const Host* h : ctx.topology.HostsRunning("sentinel")) sentinels.push_back(h->name);
  // This host's own etcd member first when it has one: the nearest, and still the cluster's.
  std::vector<std::string> endpoints;
  const std::vector<const Host*> etcd_hosts = ctx.topology.HostsRunning("etcd");
  for (const Host* h : etcd_hosts)
    if (h == &ctx.host)
      endpoints.push_back(fmt::format("http://{}:{}", RequireAddress(*h, "private", "etcd"), kEtcdClientPort));
  for (const Host* h : etcd_hosts)
    if (h != &ctx.host)
      endpoints.push_back(fmt::format("http://{}:{}", RequireAddress(*h, "private", "etcd"), kEtcdClientPort));

  // [security] end_to_end_tls: this sentinel verifies each server with the lab CA, and points a
  // replica at its primary with the replica's own copy of the CA (ctl/lab/mariadb_tls.h).
  const bool tls = ctx.topology.security.end_to_end_tls;
  fmt::memory_buffer servers;
  for (const Host* db : ctx.topology.HostsRunning("mariadb")) {
    fmt::format_to(std::back_inserter(servers), "\n[[database.servers]]\nname = {}\naddress = {}\nport = {}\n",
                   QuotedString(db->name), QuotedString(RequireAddress(*db, "private", "mariadb")),
                   kMariadbPort);
    if (tls)
      fmt::format_to(std::back_inserter(servers), "master_ssl_ca = {}\n",
                     QuotedString(MariadbTlsCaPath(SiblingHostPaths(ctx, db->name)).string()));
  }
  const std::string ssl_ca =
      tls ? "# [security] end_to_end_tls: every connection to a server is TLS, its certificate verified.\n"
            "ssl_ca = " + QuotedString(LabCaCertPath(ctx.secrets).string()) + "\n"
          : "";

  return fmt::format(
      R"({header}
name = {name}
# Every sentinel of the topology: the leader acts only on what a majority of them sees.
sentinels = {sentinels}
status_file = {status_file}

[timing]
# Each database server is probed this often, each probe on its own thread; a probe that
# gets no answer within probe_timeout_s counts as "down".
probe_interval_ms = 250
probe_timeout_s = 1
# The primary must look down (or read-only) to a majority of sentinels for this long before
# the leader fails over: after a failed probe (itself up to 1 s), at least 4 more rounds
# must fail on 2 of 3 sentinels, which a slow probe on a busy machine does not do; short
# enough to have writes back within ~5 s.
confirm_ms = 1000
# An opinion older than this does not count (each sentinel rewrites its own every second).
opinion_max_age_ms = 2500
# The sentinel's etcd lease: its leadership and its opinion vanish this long after it dies.
lease_ttl_s = 3

[etcd]
endpoints = {endpoints}

[database]
user = {user}
password_file = {password_file}
replication_user = {replication_user}
replication_password_file = {replication_password_file}
{ssl_ca}{servers})",
      fmt::arg("header", RenderedHeader(ctx, "foobar-sentinel, database failover of " + ctx.topology.site.name)),
      fmt::arg("name", QuotedString(ctx.host.name)), fmt::arg("sentinels", TomlStrings(sentinels)),
      fmt::arg("status_file", QuotedString(SentinelStatusPath(ctx.paths).string())),
      fmt::arg("endpoints", TomlStrings(endpoints)), fmt::arg("user", QuotedString(kSentinelDbUser)),
      fmt::arg("password_file", QuotedString((ctx.secrets / SentinelDbPasswordFile(ctx.host.name)).string())),
      fmt::arg("replication_user", QuotedString(kReplicationDbUser)),
      fmt::arg("replication_password_file", QuotedString((ctx.secrets / kReplicationDbPasswordFile).string())),
      fmt::arg("ssl_ca", ssl_ca), fmt::arg("servers", fmt::to_string(servers)));
}

}  // namespace foobar::ctl
