#include "ctl/lab/canary.h"

#include <fmt/format.h>

#include <algorithm>

namespace foobar::ctl {

CanaryVerdict JudgeCanary(const std::string& canary, const std::map<std::string, CanaryObservation>& servers,
                          const CanaryMargins& margins) {
  CanaryObservation mine;
  if (auto it = servers.find(canary); it != servers.end()) mine = it->second;
  long long others_responses = 0, others_5xx = 0;
  int others_probes = 0, others_probes_ok = 0;
  std::vector<double> others_medians;
  for (const auto& [name, o] : servers) {
    if (name == canary) continue;
    others_responses += o.responses;
    others_5xx += o.errors_5xx;
    others_probes += o.probes;
    others_probes_ok += o.probes_ok;
    if (o.probes_ok > 0) others_medians.push_back(o.probe_median_ms);
  }
  const double ratio = mine.responses > 0 ? static_cast<double>(mine.errors_5xx) / static_cast<double>(mine.responses) : 0;
  const double others_ratio =
      others_responses > 0 ? static_cast<double>(others_5xx) / static_cast<double>(others_responses) : 0;
  double others_median = 0;
  if (!others_medians.empty()) {
    std::sort(others_medians.begin(), others_medians.end());
    others_median = others_medians[others_medians.size() / 2];
  }
  CanaryVerdict v;
  v.summary = fmt::format(
      "5xx {}/{} ({:.1f} %) vs the others' {}/{} ({:.1f} %); probes {}/{} ok, median {:.1f} ms vs {:.1f} ms",
      mine.errors_5xx, mine.responses, 100 * ratio, others_5xx, others_responses, 100 * others_ratio, mine.probes_ok,
      mine.probes, mine.probe_median_ms, others_median);
  const bool others_probes_fine = others_probes == 0 || others_probes_ok == others_probes;
  if (mine.probes > 0 && mine.probes_ok < mine.probes && others_probes_fine) {
    v.healthy = false;
    v.summary = "its probes failed while the others' did not: " + v.summary;
  } else if (mine.responses >= margins.min_responses && ratio > others_ratio + margins.error_margin) {
    v.healthy = false;
    v.summary = fmt::format("5xx ratio more than {:.0f} points above the others': ", 100 * margins.error_margin) + v.summary;
  } else if (mine.probes_ok > 0 && !others_medians.empty() &&
             mine.probe_median_ms > margins.latency_factor * others_median + margins.latency_slack_ms) {
    v.healthy = false;
    v.summary = fmt::format("latency above {:.0f}x the others' + {:.0f} ms: ", margins.latency_factor,
                            margins.latency_slack_ms) + v.summary;
  }
  return v;
}

}  // namespace foobar::ctl
