// `foobar reload HOST SERVICE`: re-render the service's config and apply it with no dropped
// connection (ctl/lab/reload.h): haproxy, nginx, prometheus, alertmanager, keepalived.
#include <cstdio>
#include <memory>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/reload.h"

namespace foobar::ctl {

Subcommand AddReloadCommand(CLI::App& cli) {
  auto host = std::make_shared<std::string>();
  auto service = std::make_shared<std::string>();
  auto* sub = cli.add_subcommand("reload", "Re-render a service's config and reload it hitlessly (haproxy, nginx, prometheus, ...)");
  sub->add_option("host", *host, "lab host")->required();
  sub->add_option("service", *service, "haproxy | nginx | prometheus | alertmanager | keepalived")->required();
  return {sub, [host, service] {
            LabContext lab = RequireRecordedLab();
            std::printf("%s\n", ReloadService(lab, lab.HostNamed(*host), *service).c_str());
            return 0;
          }};
}

}  // namespace foobar::ctl
