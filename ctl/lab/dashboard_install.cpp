#include "ctl/lab/dashboard_install.h"

#include <fstream>

#include "ctl/lab/graphviz.h"
#include "ctl/lab/lab_error.h"
#include "ctl/render/dashboard_topology.h"
#include "ctl/render/diagram_dot.h"
#include "ctl/render/prometheus_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

void Write(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
}

}  // namespace

void InstallDashboard(const LabContext& lab, const Host& host) {
  const fs::path source = lab.source_dir / "dashboard";
  const fs::path target = DashboardPath(lab.state.Host(host.name));
  if (!fs::is_directory(source)) throw LabError(source.string() + " is missing");
  fs::remove_all(target);
  fs::create_directories(target.parent_path());
  fs::copy(source, target, fs::copy_options::recursive);
  Write(target / "topology.json", RenderDashboardTopology(lab.topology));
  // Neutral colours: the page colours each box from Prometheus as it loads.
  Write(target / "diagram.svg", DotToSvg(RenderDiagramDot(lab.topology)));
}

}  // namespace foobar::ctl
