// topology.json beside the dashboard's page: what the page draws its tables from (hosts, their
// services and addresses, the VIPs, the databases) and the scheme of the outside-in probe. The
// numbers come live from Prometheus; only the shape of the site comes from here.
#pragma once

#include <string>

#include "ctl/topology.h"

namespace foobar::ctl {

std::string RenderDashboardTopology(const Topology& topology);

}  // namespace foobar::ctl
