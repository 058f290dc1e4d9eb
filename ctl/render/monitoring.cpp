#include "ctl/render/monitoring.h"

#include <stdexcept>

namespace foobar::ctl {

bool IsMonitored(const Topology& topology) { return !topology.HostsRunning("prometheus").empty(); }

const Host& PrometheusHost(const Topology& topology) {
  const auto hosts = topology.HostsRunning("prometheus");
  if (hosts.empty()) throw std::invalid_argument("topology '" + topology.name + "' has no prometheus host");
  return *hosts.front();
}

const std::string& ScrapeAddress(const Host& host) {
  auto it = host.addresses.find("private");
  if (it == host.addresses.end()) it = host.addresses.find("public");
  if (it == host.addresses.end())
    throw std::invalid_argument("host '" + host.name + "' has neither a private nor a public address");
  return it->second;
}

std::vector<std::string> SiteProbeUrls(const Topology& topology) {
  const std::string base = std::string(kSiteProbeScheme) + "://" + topology.site.name;
  // The page alone comes from Nginx's disk; the API goes through the app to the database.
  return {base + "/", base + "/api/messages?limit=1"};
}

}  // namespace foobar::ctl
