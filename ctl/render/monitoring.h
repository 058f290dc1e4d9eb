// What the monitoring renderers, kinds and commands share: the ports of Prometheus, Alertmanager
// and every exporter, the scrape jobs' names, and where each host is scraped.
//
// A topology is monitored when one of its hosts runs `prometheus`; ParseTopology then gives every
// server its exporters (see AddMonitoringExporters in topology.cpp).
#pragma once

#include <string>
#include <vector>

#include "ctl/topology.h"

namespace foobar::ctl {

// Prometheus and Alertmanager listen on mon-01's loopback only: the dashboard and `foobar alerts`
// reach them from inside that host (or through `foobar forward --from mon-01`).
inline constexpr int kPrometheusPort = 9090;
inline constexpr int kAlertmanagerPort = 9093;
// Exporters listen on their host's scrape address (ScrapeAddress below).
inline constexpr int kNodeExporterPort = 9100;
inline constexpr int kMysqldExporterPort = 9104;
inline constexpr int kNginxExporterPort = 9113;
inline constexpr int kBlackboxExporterPort = 9115;
inline constexpr int kHaproxyMetricsPort = 8405;  // HAProxy's built-in Prometheus exporter
// foobar-app's own /metrics, on its host's private address (agreed with app/; the target is
// scraped before the app serves it and stays down until then).
inline constexpr int kAppMetricsPort = 9464;
// Nginx's stub_status, on each app server's loopback, read by the nginx exporter beside it.
inline constexpr int kNginxStubStatusPort = 8081;

// The outside-in probe's scheme: the site speaks HTTPS (port 80 only redirects). The client's
// trust store holds the lab CA (ctl/lab/lab_ca.h), so the probe verifies the certificate.
inline constexpr const char* kSiteProbeScheme = "https";

// The system user (from Debian's prometheus package) the monitoring daemons run as; also the
// MariaDB account of mysqld_exporter, authenticated by unix_socket (no password exists).
inline constexpr const char* kMonitoringUser = "prometheus";

// HAProxy's frontend serving its exporter; excluded from the site's request counts.
inline constexpr const char* kHaproxyMetricsFrontend = "metrics";
// HAProxy's backend of app servers (ctl/render/haproxy_config.cpp).
inline constexpr const char* kHaproxyAppBackend = "app_servers";

// Whether a host of the topology runs Prometheus.
bool IsMonitored(const Topology& topology);

// The host running Prometheus; throws std::invalid_argument if none does.
const Host& PrometheusHost(const Topology& topology);

// The address a host's exporters listen on and Prometheus scrapes: the private one when the host
// has it, else its public one (dns and the client live on the public network only).
const std::string& ScrapeAddress(const Host& host);

// The site's URLs the outside-in probe requests as a user would: the page and the API.
std::vector<std::string> SiteProbeUrls(const Topology& topology);

}  // namespace foobar::ctl
