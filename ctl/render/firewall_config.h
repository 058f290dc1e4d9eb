// The host firewall (nftables), rendered from the topology: inbound is dropped unless a
// service on this host is meant to be reached from where the packet comes from. Which
// service is reached from which hosts is a table in firewall_config.cpp, so a new service
// means one new row, not a new rule set per host.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/render/render_context.h"

namespace foobar::ctl {

// One inbound allowance: `protocol` ("tcp", "udp" or "vrrp") to `ports` from `sources`
// (addresses; empty = from anywhere).
struct InboundRule {
  std::string service;
  std::string protocol;
  std::vector<int> ports;
  std::vector<std::string> sources;
};

// What the host's services must accept, derived from the topology.
std::vector<InboundRule> InboundRules(const Topology& topology, const Host& host);

std::filesystem::path FirewallConfigPath(const HostPaths& paths);
std::string RenderFirewallConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
