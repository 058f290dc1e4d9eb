// The addresses the load is spread over: what DNS answers for the site, asked once from
// inside the load generator's host (its own resolver, as a visitor would), like a browser
// resolving before it connects. Both VIPs in production.
#pragma once

#include <string>
#include <vector>

#include "ctl/topology.h"

namespace foobar::ctl::chaos {

// Pure: the distinct IPv4 addresses of `getent ahostsv4 NAME` output, in order.
std::vector<std::string> ParseGetentAddresses(const std::string& output);

// Asks the lab's DNS from `from_host`; falls back to the topology's site addresses (with a
// line on stderr) when that fails, so a broken resolver does not stop a run.
std::vector<std::string> ResolveSite(const Topology& topology, const std::string& from_host);

}  // namespace foobar::ctl::chaos
