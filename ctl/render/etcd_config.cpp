#include "ctl/render/etcd_config.h"

#include <fmt/format.h>

#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

std::string PeerUrl(const Host& host) {
  return fmt::format("http://{}:{}", RequireAddress(host, "private", "etcd"), kEtcdPeerPort);
}

}  // namespace

std::filesystem::path EtcdConfigPath(const HostPaths& paths) { return paths.Etc() / "etcd" / "etcd.yml"; }

std::filesystem::path EtcdDataDir(const HostPaths& paths) { return paths.Data() / "etcd"; }

std::vector<std::string> EtcdClientUrls(const Topology& topology) {
  std::vector<std::string> urls;
  for (const Host* host : topology.HostsRunning("etcd"))
    urls.push_back(fmt::format("http://{}:{}", RequireAddress(*host, "private", "etcd"), kEtcdClientPort));
  return urls;
}

std::string RenderEtcdConfig(const RenderContext& ctx) {
  const std::string& address = RequireAddress(ctx.host, "private", "etcd");
  std::string cluster;
  for (const Host* member : ctx.topology.HostsRunning("etcd"))
    cluster += (cluster.empty() ? "" : ",") + member->name + "=" + PeerUrl(*member);

  return fmt::format(
      R"({header}
name: {name}
data-dir: {data}

# The private network only: the sentinels are its only clients.
listen-client-urls: http://{address}:{client_port}
advertise-client-urls: http://{address}:{client_port}
listen-peer-urls: {peer_url}
initial-advertise-peer-urls: {peer_url}

# Every host running etcd in the topology; a majority of them must be up to decide anything.
# The token keeps members of another lab from joining by mistake. The state only matters on
# the first start: later starts read the member list from data-dir.
initial-cluster: {cluster}
initial-cluster-token: foobar-{topology}
initial-cluster-state: new

# etcd's defaults: a heartbeat every 100 ms, a leader election after 1 s of silence
# (10 heartbeats, the ratio etcd recommends). Sentinel leases are 3 s, above the 1.5 s
# minimum this implies.
heartbeat-interval: 100
election-timeout: 1000

# The sentinels rewrite small keys a few times a second: keep 10 minutes of history and a
# small backend, so the database never grows without bound.
auto-compaction-mode: periodic
auto-compaction-retention: "10m"
quota-backend-bytes: 268435456
snapshot-count: 10000

# The sentinels speak to etcd's JSON gateway (/v3/kv/..., /v3/lease/...). A config file
# starts every switch it leaves out at false, unlike the command line: spell them out.
enable-grpc-gateway: true
strict-reconfig-check: true
enable-v2: false
logger: zap
log-outputs: [stderr]
)",
      fmt::arg("header", RenderedHeader(ctx, "etcd, coordination store of foobar-sentinel")),
      fmt::arg("name", ctx.host.name), fmt::arg("data", ConfigPath(EtcdDataDir(ctx.paths))),
      fmt::arg("address", address), fmt::arg("client_port", kEtcdClientPort),
      fmt::arg("peer_url", PeerUrl(ctx.host)), fmt::arg("cluster", cluster),
      fmt::arg("topology", ctx.topology.name));
}

}  // namespace foobar::ctl
