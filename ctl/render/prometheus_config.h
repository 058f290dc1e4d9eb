// Prometheus on the monitoring host: every scrape target rendered from the topology (node,
// HAProxy, Nginx, MariaDB and app exporters, the outside-in probes from the client), its rule file
// and Alertmanager.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// The lab's clock: a scrape and a rule evaluation every 5 s, so an alert with `for: 10s` fires
// about 10-20 s after its fault (a production deployment would use 15-30 s).
inline constexpr std::chrono::seconds kScrapeInterval{5};

// Etc()/prometheus/prometheus.yml.
std::filesystem::path PrometheusConfigPath(const HostPaths& paths);
// Etc()/prometheus/rules/foobar.rules.yml (written beside the config, see alert_rules.h).
std::filesystem::path PrometheusRulesPath(const HostPaths& paths);
// Data()/prometheus: the time series database.
std::filesystem::path PrometheusDataPath(const HostPaths& paths);
// Www()/dashboard: the dashboard's files, served by Prometheus at /user/.
std::filesystem::path DashboardPath(const HostPaths& paths);

// prometheus.yml for the host running prometheus. Throws std::invalid_argument on other hosts.
std::string RenderPrometheusConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
