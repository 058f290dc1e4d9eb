// The dashboard as deployed on the monitoring host: the page and its script from the repository's
// dashboard/ folder, the topology it draws (topology.json) and the diagram (diagram.svg), in the
// directory Prometheus serves at /user/ (same origin as its query API, so the page needs no proxy).
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Replaces DashboardPath(host) with a fresh copy; throws LabError.
void InstallDashboard(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl
