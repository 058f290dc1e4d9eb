// `foobar config HOST SERVICE`: the config that service gets on that host, rendered from
// the lab's topology (or from the default topology when no lab is up). `foobar config HOST
// firewall` shows the host's nftables rule set, which every host has.
#include <cstdio>

#include "ctl/commands/commands.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/services.h"
#include "ctl/render/firewall_config.h"
#include "ctl/render/service_configs.h"

namespace foobar::ctl {

int ConfigCommand(const std::string& host_name, const std::string& service) {
  auto recorded = RecordedLab();
  LabContext lab = recorded ? std::move(*recorded) : NewLab(TopologyFileFor(kDefaultTopology));
  const Host& host = lab.HostNamed(host_name);
  if (service == "firewall") {
    std::fputs(RenderFirewallConfig(lab.ForHost(host)).c_str(), stdout);
    return 0;
  }
  CheckHostRuns(host, service);
  std::fputs(RenderServiceConfig(lab.ForHost(host), service).content.c_str(), stdout);
  return 0;
}

}  // namespace foobar::ctl
