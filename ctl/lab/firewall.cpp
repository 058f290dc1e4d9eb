#include "ctl/lab/firewall.h"

#include <fstream>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/firewall_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;

void ApplyFirewall(const LabContext& lab, const Host& host) {
  const fs::path file = FirewallConfigPath(lab.state.Host(host.name));
  fs::create_directories(file.parent_path());
  {
    std::ofstream out(file, std::ios::trunc);
    out << RenderFirewallConfig(lab.ForHost(host));
    if (!out) throw LabError("cannot write " + file.string());
  }
  const CommandResult r = RunCommand({"ip", "netns", "exec", NamespaceName(host.name), "nft", "-f", file.string()});
  if (!r.ok()) throw LabError("loading the firewall of " + host.name + " (" + file.string() + "): " + r.FirstErrorLine());
}

void ApplyFirewalls(const LabContext& lab) {
  for (const auto& host : lab.topology.hosts) ApplyFirewall(lab, host);
}

std::optional<LoadedFirewall> FirewallLoaded(const Host& host) {
  const CommandResult r = RunCommand(
      {"ip", "netns", "exec", NamespaceName(host.name), "nft", "list", "table", "inet", kFirewallTable});
  if (!r.ok()) return std::nullopt;
  LoadedFirewall loaded;
  std::istringstream lines(r.out);
  bool inbound = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("chain ") != std::string::npos) inbound = line.find("chain inbound") != std::string::npos;
    if (!inbound) continue;
    if (line.find("dport") != std::string::npos || line.find("vrrp") != std::string::npos) ++loaded.accept_rules;
    // The last rule of the inbound chain is a bare counter: "counter packets N bytes M".
    const auto at = line.find("counter packets ");
    if (at != std::string::npos && line.find("accept") == std::string::npos)
      loaded.dropped_packets = std::stoull(line.substr(at + 16));
  }
  return loaded;
}

}  // namespace foobar::ctl
