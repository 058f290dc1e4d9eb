#include "ctl/render/alertmanager_config.h"

#include <fmt/format.h>

#include "ctl/render/render_common.h"

namespace foobar::ctl {

std::filesystem::path AlertmanagerConfigPath(const HostPaths& paths) {
  return paths.Etc() / "alertmanager" / "alertmanager.yml";
}

std::filesystem::path AlertmanagerDataPath(const HostPaths& paths) { return paths.Data() / "alertmanager"; }

std::string RenderAlertmanagerConfig(const RenderContext& ctx) {
  return fmt::format(
      R"({header}
route:
  receiver: operator
  # One notification per problem and place: the alert, and the host or VIP it is about.
  group_by: [alertname, host, vip]
  # The lab's clock: a new group is sent after 5 s (to catch its siblings), changes to it
  # after 30 s; a problem still firing is repeated every 4 h.
  group_wait: 5s
  group_interval: 30s
  repeat_interval: 4h

receivers:
  # The operator at the console: `foobar alerts` lists what reached this receiver. It has no
  # outbound integration in the lab (the lab sends nothing off this machine).
  - name: operator

inhibit_rules:
  # A host that is down takes its services with it: page for the host, not for each service.
  - source_matchers: [alertname="HostDown"]
    target_matchers: ['alertname=~"LoadBalancerDown|AppServerDown|NginxDown|MonitoringTargetDown|ReplicaBroken"']
    equal: [host]
  # A site that fails from outside says it all; its addresses failing one by one say less.
  - source_matchers: [alertname="SiteProbeFailing"]
    target_matchers: [alertname="SiteAddressProbeFailing"]
)",
      fmt::arg("header", RenderedHeader(ctx, "Alertmanager, the receiver of the alerts of " + ctx.topology.site.name)));
}

}  // namespace foobar::ctl
