// `foobar alerts [--json]`: the alerts firing now, as they reached the operator's receiver
// (Alertmanager on the monitoring host: grouped, neither silenced nor inhibited), most severe first.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/monitoring_api.h"
#include "ctl/render/monitoring.h"

namespace foobar::ctl {
namespace {

// "host=app-01 vip=vip-1": the labels that say where, without the ones every alert has.
std::string Where(const nlohmann::json& labels) {
  std::string out;
  for (const auto& [name, value] : labels.items()) {
    if (name == "alertname" || name == "severity" || name == "job" || name == "topology") continue;
    out += (out.empty() ? "" : " ") + name + "=" + value.get<std::string>();
  }
  return out;
}

// Seconds since an RFC 3339 time in UTC ("2026-11-26T16:20:01.123Z"), or -1 if unreadable.
long SecondsSince(const std::string& rfc3339) {
  std::tm tm{};
  if (!strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return -1;
  const std::time_t then = timegm(&tm);
  return static_cast<long>(std::time(nullptr) - then);
}

int SeverityRank(const nlohmann::json& alert) {
  const std::string severity = alert["labels"].value("severity", "");
  return severity == "critical" ? 0 : severity == "warning" ? 1 : 2;
}

}  // namespace

int AlertsCommand(bool json) {
  const LabContext lab = RequireRecordedLab();
  if (!IsMonitored(lab.topology))
    throw LabError("topology '" + lab.topology.name + "' has no monitoring (no host runs prometheus)");
  nlohmann::json alerts = ActiveAlerts(lab);
  std::stable_sort(alerts.begin(), alerts.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return SeverityRank(a) < SeverityRank(b);
  });
  if (json) {
    std::printf("%s\n", alerts.dump(2).c_str());
    return 0;
  }
  if (alerts.empty()) {
    std::printf("No alerts firing.\n");
    return 0;
  }
  std::printf("%zu alert%s firing:\n", alerts.size(), alerts.size() == 1 ? "" : "s");
  for (const auto& alert : alerts) {
    const auto& labels = alert["labels"];
    const long age = SecondsSince(alert.value("startsAt", ""));
    std::printf("  %-8s  %-24s %-28s %6s  %s\n", labels.value("severity", "").c_str(),
                labels.value("alertname", "").c_str(), Where(labels).c_str(),
                age < 0 ? "" : (std::to_string(age) + " s").c_str(),
                alert["annotations"].value("summary", "").c_str());
  }
  return 0;
}

}  // namespace foobar::ctl
