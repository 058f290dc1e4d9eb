// The host firewall (nftables), rendered from the topology: inbound is dropped unless a
// service on this host is meant to be reached, on the address it listens on, from where the
// packet comes from. Which service is reached from which hosts is a table in
// firewall_config.cpp (InboundRules), so a new service means one new row, not a new rule set
// per host. Outbound is open, but for one rule: on a load balancer only root (the sentinel)
// may open a connection to the database, so HAProxy's workers cannot.
// `foobar up` loads the file into the host's namespace (ctl/lab/firewall.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/render/render_context.h"

namespace foobar::ctl {

// One inbound allowance: `protocol` ("tcp", "udp" or "vrrp") to `ports` on `destinations`
// (this host's addresses the service listens on; empty = any of them) from `sources`
// (addresses), or from anywhere. A rule with no sources and not from anywhere lets nothing in
// and is left out of the file.
struct InboundRule {
  std::string service;  // the service of this host that is reached
  std::string protocol;
  std::vector<int> ports;
  std::vector<std::string> destinations;
  std::vector<std::string> sources;
  bool from_anywhere = false;
  std::string why;  // the comment above the rule
};

// What the host's services must accept, derived from the topology.
std::vector<InboundRule> InboundRules(const Topology& topology, const Host& host);

// The name of the nftables table every host gets (family inet): `nft list table inet foobar`.
inline constexpr const char* kFirewallTable = "foobar";

std::filesystem::path FirewallConfigPath(const HostPaths& paths);
std::string RenderFirewallConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
