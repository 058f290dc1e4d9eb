#include "ctl/render/dashboard_topology.h"

#include <nlohmann/json.hpp>

#include "ctl/render/diagram_dot.h"
#include "ctl/render/monitoring.h"

namespace foobar::ctl {

std::string RenderDashboardTopology(const Topology& t) {
  nlohmann::json hosts = nlohmann::json::array();
  for (const Host& h : t.hosts) {
    if (h.services.empty()) continue;
    hosts.push_back({{"name", h.name},
                     {"box", HostBoxId(h.name)},
                     {"addresses", h.addresses},
                     {"services", h.services}});
  }
  nlohmann::json vips = nlohmann::json::array();
  for (const Vip& v : t.vips) vips.push_back({{"name", v.name}, {"address", v.address}, {"master", v.master}});
  auto names = [&](const char* service) {
    nlohmann::json out = nlohmann::json::array();
    for (const Host* h : t.HostsRunning(service)) out.push_back(h->name);
    return out;
  };
  const nlohmann::json doc = {
      {"topology", t.name},
      {"site", {{"name", t.site.name}, {"addresses", t.site.addresses}, {"probes", SiteProbeUrls(t)}}},
      {"hosts", hosts},
      {"vips", vips},
      {"load_balancers", names("haproxy")},
      {"app_servers", names("app")},
      {"databases", names("mariadb")},
  };
  return doc.dump(2) + "\n";
}

}  // namespace foobar::ctl
