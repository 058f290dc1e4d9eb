// `foobar status [--json]`: every host, its addresses and the state of its services.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "ctl/commands/commands.h"
#include "ctl/commands/status_sections.h"
#include "ctl/lab/haproxy_admin.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {

int StatusCommand(bool json) {
  auto lab = RecordedLab();
  if (!lab) {
    if (json) {
      std::printf("%s\n", nlohmann::json{{"topology", nullptr}, {"hosts", nlohmann::json::array()}}.dump().c_str());
    } else {
      std::printf("No lab is up (run `foobar up`).\n");
    }
    return 0;
  }
  nlohmann::json hosts = nlohmann::json::array();
  for (const auto& host : lab->topology.hosts) {
    nlohmann::json services = nlohmann::json::array();
    bool present = NamespaceExists(host.name);
    for (const auto& service : host.services) {
      bool up = present && ServiceRunning(*lab, host, service);
      services.push_back({{"name", service}, {"state", up ? "up" : "down"}});
    }
    hosts.push_back({{"name", host.name}, {"addresses", host.addresses}, {"services", services}});
  }
  nlohmann::json status = {{"topology", lab->topology.name}, {"hosts", hosts}};
  AddVipStatus(*lab, status);
  AddDatabaseStatus(*lab, status);
  AddReleaseStatus(*lab, status);
  AddFirewallStatus(*lab, status);
  if (json) {
    std::printf("%s\n", status.dump(2).c_str());
    return 0;
  }
  std::printf("Lab '%s' (%s)\n\n", lab->topology.name.c_str(), lab->topology.description.c_str());
  for (const auto& h : hosts) {
    std::string addrs, services;
    for (const auto& [net, addr] : h["addresses"].items()) addrs += (addrs.empty() ? "" : "  ") + net + " " + addr.get<std::string>();
    for (const auto& s : h["services"])
      services += (services.empty() ? "" : "  ") + s["name"].get<std::string>() + " " + s["state"].get<std::string>();
    std::printf("  %-9s %-40s %s\n", h["name"].get<std::string>().c_str(), addrs.c_str(), services.c_str());
  }
  for (const Host* lb : lab->topology.HostsRunning("haproxy")) {
    auto servers = BackendServers(HaproxyStatsSocketPath(lab->state.Host(lb->name)));
    if (!servers.ok()) continue;
    std::printf("\n  %s backends:", lb->name.c_str());
    for (const auto& s : *servers) std::printf("  %s %s", s.server.c_str(), s.status.c_str());
    std::printf("\n");
  }
  PrintVipStatus(status);
  PrintDatabaseStatus(status);
  PrintReleaseStatus(status);
  PrintFirewallStatus(status);
  return 0;
}

}  // namespace foobar::ctl
