// The canary's judgement (pure): after the first app server runs the new release for a short
// window, is it worse than the servers still on the old one by more than the stated margins?
//   errors:  its 5xx ratio at the load balancers (live traffic, deltas over the window) above the
//            others' ratio + error_margin (absolute, 1 percentage point), once it served at
//            least min_responses; or a direct probe of it failing while the same probe of the
//            others succeeds;
//   latency: its probes' median above latency_factor x the others' median + latency_slack_ms.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace foobar::ctl {

struct CanaryMargins {
  double error_margin = 0.01;
  long long min_responses = 10;
  double latency_factor = 2.0;
  double latency_slack_ms = 20;
};

// One server over the window.
struct CanaryObservation {
  long long responses = 0;   // answered through the load balancers (all of them)
  long long errors_5xx = 0;
  int probes = 0;            // direct requests to the app on its host
  int probes_ok = 0;
  double probe_median_ms = 0;
};

struct CanaryVerdict {
  bool healthy = true;
  std::string summary;  // the figures, for the progress line or the error message
};

CanaryVerdict JudgeCanary(const std::string& canary, const std::map<std::string, CanaryObservation>& servers,
                          const CanaryMargins& margins);

}  // namespace foobar::ctl
