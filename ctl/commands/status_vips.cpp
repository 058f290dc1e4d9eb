// The VIP section of `foobar status`: which load balancer holds each virtual IP right now, read
// from the addresses on each balancer's public interface (what VRRP actually did, not what
// keepalived says). No holder means the site is unreachable on that address; two mean a split
// brain, each balancer answering ARP for it.
#include <cstdio>
#include <string>
#include <vector>

#include "ctl/commands/status_sections.h"
#include "ctl/lab/interface_addresses.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {
namespace {

// The public addresses of every host that may hold a VIP; a host that is gone holds none.
std::vector<std::pair<std::string, std::vector<std::string>>> BalancerAddresses(
    const LabContext& lab) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const Host* lb : lab.topology.HostsRunning("keepalived")) {
    std::vector<std::string> addresses;
    if (NamespaceExists(lb->name)) {
      try {
        addresses = Ipv4AddressesOn(lb->name, "public");
      } catch (const LabError&) {
        // Unreadable counts as holding nothing: status reports, it does not fail.
      }
    }
    out.emplace_back(lb->name, std::move(addresses));
  }
  return out;
}

}  // namespace

void AddVipStatus(const LabContext& lab, nlohmann::json& status) {
  if (lab.topology.vips.empty()) return;
  const auto balancers = BalancerAddresses(lab);
  nlohmann::json vips = nlohmann::json::array();
  for (const Vip& vip : lab.topology.vips) {
    nlohmann::json holders = nlohmann::json::array();
    for (const auto& [host, addresses] : balancers)
      for (const auto& address : addresses)
        if (address == vip.address) holders.push_back(host);
    vips.push_back({{"name", vip.name},
                    {"address", vip.address},
                    {"master", vip.master},
                    {"holders", holders}});
  }
  status["vips"] = vips;
}

void PrintVipStatus(const nlohmann::json& status) {
  if (!status.contains("vips")) return;
  std::printf("\n  virtual IPs:\n");
  for (const auto& vip : status["vips"]) {
    const auto& holders = vip["holders"];
    std::string held;
    for (const auto& h : holders) held += (held.empty() ? "" : ", ") + h.get<std::string>();
    std::string note;
    if (holders.empty())
      note = "held by NOBODY: unreachable";
    else if (holders.size() > 1)
      note = "held by " + held + ": SPLIT BRAIN";
    else if (holders[0] != vip["master"])
      note = "held by " + held + " (failed over)";
    else
      note = "held by " + held;
    std::printf("  %-9s %-15s master %-8s %s\n", vip["name"].get<std::string>().c_str(),
                vip["address"].get<std::string>().c_str(),
                vip["master"].get<std::string>().c_str(), note.c_str());
  }
}

}  // namespace foobar::ctl
