// The seed design's whiteboard diagram, drawn from the topology as Graphviz DOT: the user, DNS,
// the VIPs, the load balancers, the app servers and the databases, inside the networks they sit
// on, each box coloured by its health. `foobar diagram` and the dashboard both draw it (`dot -Tsvg`).
//
// Every box and VIP edge carries a stable SVG id the dashboard recolours live:
//   host-NAME (a host), VIPNAME (a VIP, e.g. vip-1), edge-VIPNAME-HOST (a VIP to a load balancer).
#pragma once

#include <map>
#include <set>
#include <string>

#include "ctl/topology.h"

namespace foobar::ctl {

enum class Health { kUnknown, kOk, kDown };

struct DiagramHealth {
  std::map<std::string, Health> boxes;                // by SVG id ("host-lb-01", "vip-1")
  std::map<std::string, std::set<std::string>> vip_holders;  // VIP name -> hosts holding it now
};

// The SVG id of a host's box.
std::string HostBoxId(const std::string& host);

std::string RenderDiagramDot(const Topology& topology, const DiagramHealth& health = {});

}  // namespace foobar::ctl
