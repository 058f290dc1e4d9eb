// Rolling a release over the app servers, one at a time, the first as a canary:
//   for each server: drain it in EVERY load balancer (runtime API), wait until none has a
//   session on it, stop the app (its SIGTERM drain), switch releases/current, start it, wait for
//   /readyz, put it back (`state ready`) and wait until every balancer's health check has it UP;
//   after the canary: watch it for a window (deltas of the balancers' counters + direct probes,
//   see canary.h) and, if it is worse than the others, roll it back the same way and stop.
// Expand migrations run before the first server, contract migrations after the last.
#pragma once

#include <functional>
#include <string>

#include "ctl/lab/canary.h"
#include "ctl/lab/lab_context.h"
#include "ctl/lab/releases.h"

namespace foobar::ctl {

struct DeployOptions {
  double canary_window_s = 5;  // 0: no judgement (rollback uses it: the old release is known good)
  CanaryMargins margins;
};

// Progress lines ("app-01: drained in 0.1 s").
using DeploySay = std::function<void(const std::string&)>;

// Returns when every app server runs `release`. Throws LabError when it stopped: the canary
// was rolled back, or a server could not be rolled (the message says which and where it is).
void DeployRelease(const LabContext& lab, const Release& release, const DeployOptions& options, const DeploySay& say);

// Moves one app server to `version` (installed on it already) with the drain described above;
// throws LabError if it does not come back ready.
void RollServer(const LabContext& lab, const Host& host, const std::string& version, const DeploySay& say);

// Appends "UTC-time EVENT VERSION" to STATE/releases/history.
void RecordDeployEvent(const LabContext& lab, const std::string& event, const std::string& version);

}  // namespace foobar::ctl
