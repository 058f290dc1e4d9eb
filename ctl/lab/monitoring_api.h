// Asking the lab's Prometheus and Alertmanager: both listen on the monitoring host's loopback only,
// so every request is made by curl inside that host (the root namespace sends no lab packet).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// The `result` array of an instant query (`/api/v1/query`); throws LabError if Prometheus does
// not answer or rejects the query.
nlohmann::json PrometheusQuery(const LabContext& lab, const std::string& promql);

// The alerts Alertmanager holds for its receiver now: active, neither silenced nor inhibited
// (`/api/v2/alerts`). Throws LabError.
nlohmann::json ActiveAlerts(const LabContext& lab);

}  // namespace foobar::ctl
