// `foobar diagram [--out FILE] [--topology NAME]`: the site's whiteboard diagram as SVG, drawn from
// the topology by Graphviz; with a monitored lab up, each box coloured by its health as Prometheus
// sees it now (the dashboard shows the same picture, live).
#include <cstdio>
#include <fstream>

#include "ctl/commands/commands.h"
#include "ctl/lab/graphviz.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/monitoring_api.h"
#include "ctl/render/diagram_dot.h"
#include "ctl/render/monitoring.h"

namespace foobar::ctl {
namespace {

double Value(const nlohmann::json& sample) { return std::stod(sample["value"][1].get<std::string>()); }

Health HealthFrom(double value) { return value >= 1 ? Health::kOk : Health::kDown; }

// Health from Prometheus's recording rules and probes (see ctl/render/alert_rules.cpp).
DiagramHealth HealthFromPrometheus(const LabContext& lab) {
  DiagramHealth health;
  for (const auto& s : PrometheusQuery(lab, "foobar:host_health"))
    health.boxes[HostBoxId(s["metric"].value("host", ""))] = HealthFrom(Value(s));
  // The user's box: the site as the outside-in probe gets it.
  for (const auto& s : PrometheusQuery(lab, R"(min by (host) (probe_success{job="blackbox_site"}))"))
    health.boxes[HostBoxId(s["metric"].value("host", ""))] = HealthFrom(Value(s));
  for (const auto& s : PrometheusQuery(lab, R"(probe_success{job="blackbox_site_addresses", vip!=""})"))
    health.boxes[s["metric"].value("vip", "")] = HealthFrom(Value(s));
  for (const Vip& vip : lab.topology.vips) health.vip_holders[vip.name];  // known: none until seen
  for (const auto& s : PrometheusQuery(lab, R"(foobar_vrrp_state{state="MASTER"} == 1)"))
    for (const Vip& vip : lab.topology.vips)
      if (vip.address == s["metric"].value("vip", "")) health.vip_holders[vip.name].insert(s["metric"].value("host", ""));
  // A VIP is well when it answers and exactly one load balancer holds it.
  for (const auto& [vip, holders] : health.vip_holders)
    if (holders.size() != 1) health.boxes[vip] = Health::kDown;
  return health;
}

}  // namespace

int DiagramCommand(const std::string& out_file, const std::string& topology_name) {
  std::optional<LabContext> lab;
  if (topology_name.empty()) lab = RecordedLab();
  const bool live = lab.has_value();
  if (!lab) lab = NewLab(TopologyFileFor(topology_name.empty() ? kDefaultTopology : topology_name));

  DiagramHealth health;
  if (live && IsMonitored(lab->topology)) {
    try {
      health = HealthFromPrometheus(*lab);
    } catch (const LabError& e) {
      std::fprintf(stderr, "foobar: drawing without health colours: %s\n", e.what());
    }
  }
  const std::string svg = DotToSvg(RenderDiagramDot(lab->topology, health));
  if (out_file.empty()) {
    std::fwrite(svg.data(), 1, svg.size(), stdout);
    return 0;
  }
  std::ofstream out(out_file, std::ios::trunc);
  out << svg;
  if (!out) throw LabError("cannot write " + out_file);
  std::printf("Wrote %s (%s%s)\n", out_file.c_str(), lab->topology.name.c_str(),
              health.boxes.empty() ? ", no health colours" : ", coloured by health");
  return 0;
}

}  // namespace foobar::ctl
