#include "ctl/render/firewall_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <iterator>

#include "ctl/render/monitoring.h"
#include "ctl/render/render_common.h"
#include "ctl/render/sshd_config.h"

namespace foobar::ctl {
namespace {

// The addresses on `network` of the hosts running any of `services`, without `self`'s own
// (a host reaches itself over loopback, which is open).
std::vector<std::string> From(const Topology& t, std::initializer_list<const char*> services,
                              const std::string& network, const Host& self) {
  std::vector<std::string> out;
  for (const auto& h : t.hosts) {
    if (&h == &self || h.name == self.name) continue;
    const bool runs = std::any_of(services.begin(), services.end(), [&](const char* s) { return h.Runs(s); });
    auto address = h.AddressOn(network);
    if (runs && address && std::find(out.begin(), out.end(), *address) == out.end()) out.push_back(*address);
  }
  return out;
}

// The network `address` of `host` is on ("" if it is not one of the host's addresses).
std::string NetworkOf(const Host& host, const std::string& address) {
  for (const auto& [net, addr] : host.addresses)
    if (addr == address) return net;
  return "";
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

std::string RuleText(const InboundRule& rule) {
  std::string match;
  if (!rule.from_anywhere) match += "ip saddr { " + Join(rule.sources) + " } ";
  if (!rule.destinations.empty()) match += "ip daddr { " + Join(rule.destinations) + " } ";
  if (rule.protocol == "vrrp") return match + "ip protocol vrrp accept";
  return match + rule.protocol + " dport { " + JoinPorts(rule.ports) + " } accept";
}

// On a load balancer, the database is for the sentinel (root) alone: HAProxy's workers run as
// `haproxy` and anything else that is not root cannot open a connection to it either.
std::string OutboundRules(const Topology& t, const Host& host) {
  if (!host.Runs("haproxy") || host.Runs("mariadb") || host.Runs("app")) return "";
  std::vector<std::string> databases;
  for (const Host* db : t.HostsRunning("mariadb"))
    if (auto address = db->AddressOn("private")) databases.push_back(*address);
  if (databases.empty()) return "";
  return fmt::format(
      "        # The databases answer this host because its sentinel probes them (root); HAProxy's\n"
      "        # workers (user haproxy) and any other user are refused.\n"
      "        ip daddr {{ {} }} tcp dport {{ {} }} ct state new meta skuid != 0 counter reject with tcp reset\n",
      Join(databases), kMariadbPort);
}

}  // namespace

std::vector<InboundRule> InboundRules(const Topology& t, const Host& host) {
  std::vector<InboundRule> rules;
  // A rule for `service` when this host runs it: from anywhere, or from `sources` (none: no rule).
  auto add = [&](const std::string& service, const std::string& protocol, std::vector<int> ports,
                 std::vector<std::string> destinations, std::vector<std::string> sources, bool anyone,
                 const std::string& why) {
    if (!host.Runs(service) || (!anyone && sources.empty())) return;
    InboundRule rule;
    rule.service = service;
    rule.protocol = protocol;
    rule.ports = std::move(ports);
    rule.destinations = std::move(destinations);
    rule.sources = std::move(sources);
    rule.from_anywhere = anyone;
    rule.why = why;
    rules.push_back(std::move(rule));
  };
  constexpr bool kAnyone = true, kOnly = false;
  const auto priv = host.AddressOn("private");
  const auto pub = host.AddressOn("public");
  std::vector<std::string> private_only, public_only;
  if (priv) private_only = {*priv};
  if (pub) public_only = {*pub};

  // The site and its name are public; everything behind the load balancers is not.
  add("dns", "udp", {kDnsPort}, public_only, {}, kAnyone, "names, for everyone");
  add("dns", "tcp", {kDnsPort}, public_only, {}, kAnyone, "names over TCP (large answers), for everyone");
  // With VIPs, the site is the VIPs alone: the balancer's own public address answers nobody
  // (HAProxy binds it too, for the lab's own checks from inside the host, over loopback).
  std::vector<std::string> site;
  if (host.Runs("keepalived"))
    for (const Vip& vip : t.vips) site.push_back(vip.address);
  if (site.empty()) site = public_only;
  add("haproxy", "tcp", {kHttpPort, kHttpsPort}, site, {}, kAnyone,
      "the site, for everyone (on the VIPs when the balancer has them)");
  // VRRP adverts come unicast from the peer balancers' public addresses (keepalived_config.cpp).
  add("keepalived", "vrrp", {}, {}, From(t, {"keepalived"}, "public", host), kOnly,
      "VRRP adverts from the peer load balancer only");
  if (IsMonitored(t))
    add("haproxy", "tcp", {kHaproxyMetricsPort}, private_only, From(t, {"prometheus"}, "private", host), kOnly,
        "HAProxy's exporter, for Prometheus");

  // App servers: HTTP from the load balancers (their health checks too); the app itself listens
  // on loopback only, behind Nginx.
  // With [security] end_to_end_tls Nginx speaks TLS only, so plain HTTP is not even let in.
  add("nginx", "tcp", t.security.end_to_end_tls ? std::vector<int>{kHttpsPort} : std::vector<int>{kHttpPort, kHttpsPort},
      private_only, From(t, {"haproxy"}, "private", host), kOnly, "Nginx, from the load balancers only");
  if (IsMonitored(t))
    add("app", "tcp", {kAppMetricsPort}, private_only, From(t, {"prometheus"}, "private", host), kOnly,
        "foobar-app's /metrics, for Prometheus");

  // The databases: the app servers, each other (replication) and the sentinels' probes.
  add("mariadb", "tcp", {kMariadbPort}, private_only, From(t, {"app", "mariadb", "sentinel"}, "private", host), kOnly,
      "MariaDB: app servers, the other database servers (replication), sentinels");
  add("etcd", "tcp", {kEtcdClientPort}, private_only, From(t, {"etcd", "sentinel"}, "private", host), kOnly,
      "etcd clients: members and sentinels");
  add("etcd", "tcp", {kEtcdPeerPort}, private_only, From(t, {"etcd"}, "private", host), kOnly,
      "etcd peers: the other members");

  // Exporters listen on the host's scrape address and answer Prometheus alone.
  if (IsMonitored(t)) {
    const std::string scrape = ScrapeAddress(host);
    const auto prometheus = From(t, {"prometheus"}, NetworkOf(host, scrape), host);
    for (const auto& [service, port] : std::vector<std::pair<std::string, int>>{
             {"node_exporter", kNodeExporterPort},
             {"nginx_exporter", kNginxExporterPort},
             {"mysqld_exporter", kMysqldExporterPort},
             {"blackbox_exporter", kBlackboxExporterPort}})
      add(service, "tcp", {port}, {scrape}, prometheus, kOnly, service + ", for Prometheus");
  }

  // Operators come in by SSH from the admin host only.
  if (host.Runs("sshd")) {
    std::vector<std::string> admin;
    if (const Host* a = t.FindHost(kAdminHostName))
      if (auto address = a->AddressOn(SshNetwork(host))) admin.push_back(*address);
    add("sshd", "tcp", {kSshPort}, {SshListenAddress(host)}, admin, kOnly, "SSH, from the admin host only");
  }
  return rules;
}

std::filesystem::path FirewallConfigPath(const HostPaths& paths) { return paths.Etc() / "nftables" / "firewall.nft"; }

std::string RenderFirewallConfig(const RenderContext& ctx) {
  fmt::memory_buffer rules;
  for (const auto& rule : InboundRules(ctx.topology, ctx.host))
    fmt::format_to(std::back_inserter(rules), "        # {}: {}\n        {}\n", rule.service, rule.why, RuleText(rule));
  return fmt::format(R"({header}
# Loaded with `nft -f` inside the host's namespace at `foobar up`, before any daemon starts. The
# file is one transaction: the table is created if missing, emptied and filled again, so loading
# it twice is safe and a connection already open never sees a moment without rules.
table inet {table}
delete table inet {table}
table inet {table} {{
    chain inbound {{
        type filter hook input priority filter; policy drop;
        # Loopback stays open: the app listens there for Nginx, and each daemon's local checks.
        iif lo accept
        # Answers to connections this host opened, and the ICMP errors that belong to them.
        ct state established,related accept
        ct state invalid drop
        # Path MTU discovery and unreachables must pass; pings are answered, rate-limited.
        icmp type {{ destination-unreachable, time-exceeded, parameter-problem }} accept
        icmp type echo-request limit rate 10/second accept
        # (The lab runs IPv4 only; the same holds for IPv6 where a host has it.)
        icmpv6 type {{ destination-unreachable, packet-too-big, time-exceeded, parameter-problem, nd-neighbor-solicit, nd-neighbor-advert }} accept
{rules}        # Everything else is dropped (counted here: `nft list table inet {table}`).
        counter
    }}
    chain forward {{
        # A lab host is a host, not a router.
        type filter hook forward priority filter; policy drop;
    }}
    chain outbound {{
        # Outbound is open: the host's own daemons decide whom they call.
        type filter hook output priority filter; policy accept;
{outbound}    }}
}}
)",
                     fmt::arg("header", RenderedHeader(ctx, "Firewall (nftables)")),
                     fmt::arg("table", kFirewallTable), fmt::arg("rules", fmt::to_string(rules)),
                     fmt::arg("outbound", OutboundRules(ctx.topology, ctx.host)));
}

}  // namespace foobar::ctl
