// Each lab host's firewall, loaded into its namespace: `up` does it after the namespaces exist
// and before any daemon starts, so no service is ever reachable unfiltered. The rules go away
// with the namespace at `down`; nothing is loaded in the machine's own namespace.
#pragma once

#include <cstdint>
#include <optional>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Renders the host's rule set to its file (ctl/render/firewall_config.h) and loads it with
// `nft -f` inside the host's namespace: one atomic replacement, safe to repeat (a changed
// topology, a new host). Throws LabError with nft's complaint.
void ApplyFirewall(const LabContext& lab, const Host& host);
void ApplyFirewalls(const LabContext& lab);

struct LoadedFirewall {
  int accept_rules = 0;              // rules that accept something new
  std::uint64_t dropped_packets = 0; // inbound packets that fell through to the drop policy
};

// What the host's namespace has loaded now; nullopt when our table is not there.
std::optional<LoadedFirewall> FirewallLoaded(const Host& host);

}  // namespace foobar::ctl
