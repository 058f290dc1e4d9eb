// Prometheus's rule file for the monitored topology: recording rules (each host's health and the
// site's request rate, error ratio and latency, which the dashboard and `foobar diagram` read) and
// the alerts, with the thresholds below (also in the README).
#pragma once

#include <string>

#include "ctl/render/render_context.h"

namespace foobar::ctl {

// The site's service level objectives, measured where users enter (HAProxy's frontends) and in
// the app (its request-duration histogram).
inline constexpr double kAvailabilityObjective = 0.999;   // of requests answered without a 5xx
inline constexpr double kLatencyObjectiveSeconds = 0.5;   // p99 of the app's request duration
// A replica further behind than this gets no reads from the app (app.toml replica_max_lag_s).
inline constexpr int kReplicaLagBoundSeconds = 5;
// A filesystem with less than this fraction free is nearly full.
inline constexpr double kDiskFreeFraction = 0.10;
// A certificate expiring within this many days needs renewing.
inline constexpr int kCertificateWarningDays = 14;

// The rule file (YAML) for Prometheus on ctx.host; written to PrometheusRulesPath.
std::string RenderAlertRules(const RenderContext& ctx);

}  // namespace foobar::ctl
