// `foobar status`: whether each host's firewall is loaded, how many rules accept something and
// how many inbound packets its drop policy has counted.
#include <cstdio>

#include "ctl/commands/status_sections.h"
#include "ctl/lab/firewall.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {

void AddFirewallStatus(const LabContext& lab, nlohmann::json& status) {
  nlohmann::json firewalls = nlohmann::json::array();
  for (const auto& host : lab.topology.hosts) {
    const auto loaded = NamespaceExists(host.name) ? FirewallLoaded(host) : std::nullopt;
    nlohmann::json entry = {{"host", host.name}, {"loaded", loaded.has_value()}};
    if (loaded) {
      entry["accept_rules"] = loaded->accept_rules;
      entry["dropped_packets"] = loaded->dropped_packets;
    }
    firewalls.push_back(entry);
  }
  status["firewalls"] = firewalls;
}

void PrintFirewallStatus(const nlohmann::json& status) {
  if (!status.contains("firewalls")) return;
  std::printf("\n  firewalls (nftables, default drop):\n");
  for (const auto& f : status["firewalls"]) {
    if (!f.value("loaded", false)) {
      std::printf("    %-9s NOT LOADED\n", f.value("host", "").c_str());
      continue;
    }
    std::printf("    %-9s %d rules accept, %llu packets dropped\n", f.value("host", "").c_str(),
                f.value("accept_rules", 0), static_cast<unsigned long long>(f.value("dropped_packets", 0ULL)));
  }
}

}  // namespace foobar::ctl
