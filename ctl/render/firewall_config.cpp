#include "ctl/render/firewall_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// Every address of the hosts running `service`, on `network` (or on every network if empty).
std::vector<std::string> AddressesOf(const Topology& t, const std::string& service, const std::string& network = "") {
  std::vector<std::string> out;
  for (const Host* h : t.HostsRunning(service))
    for (const auto& [net, addr] : h->addresses)
      if (network.empty() || net == network) out.push_back(addr);
  return out;
}

std::vector<std::string> Union(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const auto& x : b)
    if (std::find(a.begin(), a.end(), x) == a.end()) a.push_back(x);
  return a;
}

std::vector<std::string> Without(std::vector<std::string> list, const Host& host) {
  for (const auto& [net, addr] : host.addresses) list.erase(std::remove(list.begin(), list.end(), addr), list.end());
  return list;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string JoinPorts(const std::vector<int>& ports) {
  std::vector<std::string> text;
  for (int p : ports) text.push_back(std::to_string(p));
  return Join(text);
}

}  // namespace

std::vector<InboundRule> InboundRules(const Topology& t, const Host& host) {
  std::vector<InboundRule> rules;
  auto allow = [&](const std::string& service, const std::string& protocol, std::vector<int> ports,
                   std::vector<std::string> sources) {
    if (host.Runs(service)) rules.push_back({service, protocol, std::move(ports), std::move(sources)});
  };
  // The site and its name are public; everything behind the load balancers is not.
  allow("dns", "udp", {kDnsPort}, {});
  allow("dns", "tcp", {kDnsPort}, {});
  allow("haproxy", "tcp", {kHttpPort, kHttpsPort}, {});
  allow("keepalived", "vrrp", {}, Without(AddressesOf(t, "keepalived", "public"), host));
  allow("nginx", "tcp", {kHttpPort, kHttpsPort}, AddressesOf(t, "haproxy", "private"));
  // The databases: the app servers, each other (replication, rejoin) and the sentinels' probes.
  allow("mariadb", "tcp", {kMariadbPort},
        Without(Union(Union(AddressesOf(t, "app", "private"), AddressesOf(t, "mariadb", "private")),
                      AddressesOf(t, "sentinel", "private")),
                host));
  allow("etcd", "tcp", {kEtcdClientPort},
        Without(Union(AddressesOf(t, "etcd", "private"), AddressesOf(t, "sentinel", "private")), host));
  allow("etcd", "tcp", {kEtcdPeerPort}, Without(AddressesOf(t, "etcd", "private"), host));
  return rules;
}

std::filesystem::path FirewallConfigPath(const HostPaths& paths) { return paths.Etc() / "nftables" / "firewall.nft"; }

std::string RenderFirewallConfig(const RenderContext& ctx) {
  fmt::memory_buffer rules;
  for (const auto& rule : InboundRules(ctx.topology, ctx.host)) {
    if (rule.protocol != "vrrp" && rule.ports.empty()) continue;
    if (!rule.sources.empty() || rule.protocol == "vrrp") {
      if (rule.sources.empty()) continue;  // nobody to accept it from
      fmt::format_to(std::back_inserter(rules), "        # {}\n", rule.service);
      if (rule.protocol == "vrrp")
        fmt::format_to(std::back_inserter(rules), "        ip saddr {{ {} }} ip protocol vrrp accept\n", Join(rule.sources));
      else
        fmt::format_to(std::back_inserter(rules), "        ip saddr {{ {} }} {} dport {{ {} }} accept\n",
                       Join(rule.sources), rule.protocol, JoinPorts(rule.ports));
    } else {
      fmt::format_to(std::back_inserter(rules), "        # {}: from anywhere\n        {} dport {{ {} }} accept\n",
                     rule.service, rule.protocol, JoinPorts(rule.ports));
    }
  }
  return fmt::format(R"({header}
# Applied with `nft -f` inside the host's namespace at `foobar up`; replaces the whole table.
table inet foobar
delete table inet foobar
table inet foobar {{
    chain inbound {{
        type filter hook input priority filter; policy drop;
        # Loopback stays open: the app listens there for Nginx.
        iif lo accept
        # Answers to connections this host opened, and the ICMP errors that belong to them.
        ct state established,related accept
        ct state invalid drop
        # Path MTU discovery and unreachables must pass; pings are answered, rate-limited.
        icmp type {{ destination-unreachable, time-exceeded, parameter-problem }} accept
        icmp type echo-request limit rate 10/second accept
{rules}    }}
    chain forward {{
        # A lab host is a host, not a router.
        type filter hook forward priority filter; policy drop;
    }}
}}
)",
                     fmt::arg("header", RenderedHeader(ctx, "Firewall (nftables)")),
                     fmt::arg("rules", fmt::to_string(rules)));
}

}  // namespace foobar::ctl
