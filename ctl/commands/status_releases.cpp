// `foobar status`'s releases: which release each app server runs (its process's executable,
// so a switch not yet restarted shows), which is installed as current and which ran before.
#include <cstdio>

#include "ctl/commands/status_sections.h"
#include "ctl/lab/process.h"
#include "ctl/lab/releases.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {

void AddReleaseStatus(const LabContext& lab, nlohmann::json& status) {
  nlohmann::json servers = nlohmann::json::array();
  for (const Host* app : lab.topology.HostsRunning("app")) {
    const HostPaths paths = lab.state.Host(app->name);
    std::optional<std::string> running;
    if (auto pid = RunningDaemonPid(DaemonFor(lab, *app, "app"))) running = VersionOfProcess(*pid);
    auto text = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    servers.push_back({{"host", app->name},
                       {"running", text(running)},
                       {"current", text(CurrentVersion(paths))},
                       {"previous", text(PreviousVersion(paths))}});
  }
  const auto fleet = FleetVersion(lab.state);
  status["releases"] = {{"fleet", fleet ? nlohmann::json(*fleet) : nlohmann::json(nullptr)}, {"servers", servers}};
}

void PrintReleaseStatus(const nlohmann::json& status) {
  if (!status.contains("releases")) return;
  const auto& releases = status["releases"];
  std::printf("\n  releases (fleet: %s):\n",
              releases["fleet"].is_null() ? "none" : releases["fleet"].get<std::string>().c_str());
  for (const auto& s : releases["servers"]) {
    auto text = [](const nlohmann::json& v) { return v.is_null() ? std::string("-") : v.get<std::string>(); };
    std::printf("    %-8s runs %s", s["host"].get<std::string>().c_str(), text(s["running"]).c_str());
    if (s["current"] != s["running"]) std::printf("  (installed: %s, not running yet)", text(s["current"]).c_str());
    if (!s["previous"].is_null()) std::printf("  previous %s", text(s["previous"]).c_str());
    std::printf("\n");
  }
}

}  // namespace foobar::ctl
