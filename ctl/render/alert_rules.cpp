#include "ctl/render/alert_rules.h"

#include <fmt/format.h>

#include <vector>

#include "ctl/render/monitoring.h"
#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

struct Recording {
  std::string record;
  std::string expr;
  std::string labels = "";  // "key: value" pairs, already YAML
};

struct Alert {
  std::string name;
  std::string expr;
  std::string for_duration;
  std::string severity;  // critical: someone acts now; warning: soon
  std::string summary;   // may use {{ $labels.x }} and {{ $value }}
  std::string labels = "";
};

// An expression as a YAML literal block, so that PromQL needs no escaping.
std::string Expr(const std::string& expr, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  std::string out = pad + "expr: |\n";
  size_t start = 0;
  while (start <= expr.size()) {
    const size_t end = expr.find('\n', start);
    const std::string line = expr.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += pad + "  " + line + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string RecordingGroup(const std::string& name, const std::vector<Recording>& rules) {
  std::string out = fmt::format("  - name: {}\n    rules:\n", name);
  for (const auto& r : rules) {
    out += fmt::format("      - record: {}\n", r.record);
    out += Expr(r.expr, 8);
    if (!r.labels.empty()) out += fmt::format("        labels: {{ {} }}\n", r.labels);
  }
  return out;
}

std::string AlertGroup(const std::string& name, const std::vector<Alert>& alerts) {
  std::string out = fmt::format("  - name: {}\n    rules:\n", name);
  for (const auto& a : alerts) {
    out += fmt::format("      - alert: {}\n", a.name);
    out += Expr(a.expr, 8);
    out += fmt::format("        for: {}\n", a.for_duration);
    out += fmt::format("        labels: {{ severity: {}{} }}\n", a.severity, a.labels.empty() ? "" : ", " + a.labels);
    out += fmt::format("        annotations:\n          summary: {}\n", QuotedString(a.summary));
  }
  return out;
}

// Every health signal of a host as foobar:host_signal{host, signal} (1 good, 0 bad), and their
// minimum per host as foobar:host_health: what colours the boxes of the diagram. The app's own
// /metrics counts like every other target: an app that cannot be scraped is unwatched.
std::vector<Recording> HealthRecordings() {
  return {
      {"foobar:host_signal", R"q(label_replace(up, "signal", "scrape:$1", "job", "(.+)"))q",
       "source: scrape"},
      {"foobar:host_signal", "nginx_up", "signal: nginx"},
      {"foobar:host_signal", "mysql_up", "signal: mariadb"},
      {"foobar:host_signal",
       fmt::format(R"q(label_replace(max by (server) (haproxy_server_status{{proxy="{}", state="UP"}}),
  "host", "$1", "server", "(.+)"))q",
                   kHaproxyAppBackend),
       "signal: lb_health_check"},
      {"foobar:host_signal", "min by (job, instance, host) (mysql_slave_status_slave_io_running)", "signal: replica_io"},
      {"foobar:host_signal", "min by (job, instance, host) (mysql_slave_status_slave_sql_running)",
       "signal: replica_sql"},
      {"foobar:host_signal", R"q(1 - max by (job, instance, host) (foobar_vrrp_state{state="FAULT"}))q",
       "signal: keepalived"},
      {"foobar:host_health", "min by (host) (foobar:host_signal)"},
  };
}

// The site as its users get it, at the load balancers' frontends (the metrics frontend aside).
std::vector<Recording> SiteRecordings() {
  const std::string frontends = fmt::format(R"q(proxy!="{}")q", kHaproxyMetricsFrontend);
  std::vector<Recording> rules = {
      {"foobar:site_requests:rate1m",
       fmt::format("sum(rate(haproxy_frontend_http_requests_total{{{}}}[1m]))", frontends)},
  };
  for (const char* window : {"1m", "5m", "30m", "1h", "6h"})
    rules.push_back({fmt::format("foobar:site_errors:ratio_rate{}", window),
                     fmt::format("sum(rate(haproxy_frontend_http_responses_total{{{0}, code=\"5xx\"}}[{1}]))\n"
                                 "/\nsum(rate(haproxy_frontend_http_responses_total{{{0}}}[{1}]))",
                                 frontends, window)});
  // Percentiles from the app's request-duration histogram (app/ serves it on kAppMetricsPort).
  for (const char* quantile : {"0.5", "0.9", "0.99"})
    for (const char* window : {"1m", "5m"})
      rules.push_back({fmt::format("foobar:site_latency_seconds:rate{}", window),
                       fmt::format("histogram_quantile({}, sum by (le) (rate(foobar_http_request_duration_seconds_bucket[{}])))",
                                   quantile, window),
                       fmt::format("quantile: \"{}\"", quantile)});
  return rules;
}

std::vector<Alert> AvailabilityAlerts() {
  return {
      {"HostDown", R"q(up{job="node"} == 0)q", "10s", "critical",
       "{{ $labels.host }} is down: its node_exporter does not answer"},
      {"LoadBalancerDown", R"q(up{job="haproxy"} == 0)q", "10s", "critical",
       "load balancer {{ $labels.host }}: HAProxy does not answer"},
      // Down as every load balancer's health check (GET /readyz through Nginx and the app) sees it.
      {"AppServerDown",
       fmt::format(R"q(label_replace(max by (server) (haproxy_server_status{{proxy="{}", state="UP"}}), "host", "$1", "server", "(.+)") == 0)q",
                   kHaproxyAppBackend),
       "10s", "critical", "app server {{ $labels.host }} fails the load balancers' health check"},
      {"NginxDown", "nginx_up == 0", "10s", "critical", "Nginx on {{ $labels.host }} does not answer its exporter"},
      {"MonitoringTargetDown", R"q(up{job!~"node|haproxy"} == 0)q", "30s", "warning",
       "{{ $labels.job }} on {{ $labels.host }} cannot be scraped: part of the stack is unwatched"},
      {"SiteProbeFailing", R"q(probe_success{job="blackbox_site"} == 0)q", "15s", "critical",
       "{{ $labels.instance }} fails from the client (outside-in probe)"},
      {"SiteAddressProbeFailing", R"q(probe_success{job="blackbox_site_addresses"} == 0)q", "15s", "critical",
       "site address {{ $labels.site_address }} does not answer from the client"},
      {"DnsProbeFailing", R"q(probe_success{job="blackbox_dns"} == 0)q", "15s", "critical",
       "DNS server {{ $labels.dns_server }} does not answer for the site's name"},
  };
}

// One pair of alerts per VIP (from the topology): held by no load balancer, or by more than one.
std::vector<Alert> VipAlerts(const Topology& t) {
  std::vector<Alert> alerts;
  for (const Vip& vip : t.vips) {
    const std::string holders =
        fmt::format(R"q(sum(foobar_vrrp_state{{vip="{}", state="MASTER"}}) or vector(0))q", vip.address);
    const std::string labels = fmt::format("vip: {}, vip_address: \"{}\"", vip.name, vip.address);
    alerts.push_back({"VipHeldByNone", "(" + holders + ") == 0", "10s", "critical",
                      fmt::format("{} ({}) is held by no load balancer", vip.name, vip.address), labels});
    alerts.push_back({"VipHeldByMany", "(" + holders + ") > 1", "10s", "critical",
                      fmt::format("{} ({}) is held by {{{{ $value }}}} load balancers at once", vip.name, vip.address),
                      labels});
  }
  return alerts;
}

std::vector<Alert> DatabaseAlerts() {
  return {
      // Longer than an automatic failover takes: the alert means the failover did not happen.
      {"NoWritablePrimary", "(count(mysql_global_variables_read_only == 0) or vector(0)) == 0", "30s", "critical",
       "no MariaDB server is writable: writes fail"},
      {"ManyWritablePrimaries", "count(mysql_global_variables_read_only == 0) > 1", "10s", "critical",
       "{{ $value }} MariaDB servers are writable at once (split brain)"},
      {"ReplicaBroken",
       "mysql_slave_status_slave_io_running == 0\nor mysql_slave_status_slave_sql_running == 0\n"
       "or (mysql_global_variables_read_only == 1 unless on (instance) mysql_slave_status_slave_io_running)",
       "30s", "critical", "replica {{ $labels.host }} does not replicate"},
      {"ReplicaLagging", fmt::format("mysql_slave_status_seconds_behind_master > {}", kReplicaLagBoundSeconds), "30s",
       "warning",
       fmt::format("replica {{{{ $labels.host }}}} is {{{{ $value }}}} s behind (bound {} s): reads avoid it",
                   kReplicaLagBoundSeconds)},
  };
}

// Multiwindow burn-rate alerts on the error budget (Google SRE workbook): fast burn spends 2% of a
// 30-day budget in an hour, slow burn 5% in six hours.
std::vector<Alert> SloAlerts() {
  const double budget = 1.0 - kAvailabilityObjective;
  auto burn = [&](const char* short_window, const char* long_window, double rate) {
    return fmt::format("foobar:site_errors:ratio_rate{} > {:.4f}\nand\nfoobar:site_errors:ratio_rate{} > {:.4f}",
                       short_window, rate * budget, long_window, rate * budget);
  };
  return {
      {"SiteErrorBudgetBurnFast", burn("5m", "1h", 14.4), "1m", "critical",
       fmt::format("5xx ratio {{{{ $value | humanizePercentage }}}} burns the error budget of the {:.1f}% objective 14.4x too fast",
                   kAvailabilityObjective * 100)},
      {"SiteErrorBudgetBurnSlow", burn("30m", "6h", 6), "5m", "warning",
       fmt::format("5xx ratio {{{{ $value | humanizePercentage }}}} burns the error budget of the {:.1f}% objective 6x too fast",
                   kAvailabilityObjective * 100)},
      {"SiteLatencyOverBudget",
       fmt::format(R"q(foobar:site_latency_seconds:rate5m{{quantile="0.99"}} > {})q", kLatencyObjectiveSeconds), "1m",
       "warning",
       fmt::format("p99 latency {{{{ $value | humanizeDuration }}}} is over the {} s objective",
                   kLatencyObjectiveSeconds)},
  };
}

std::vector<Alert> CapacityAlerts() {
  return {
      {"DiskNearlyFull",
       fmt::format(R"q(node_filesystem_avail_bytes{{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}}
/ node_filesystem_size_bytes{{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}} < {})q",
                   kDiskFreeFraction),
       "1m", "warning", "{{ $labels.mountpoint }} on {{ $labels.host }} has {{ $value | humanizePercentage }} free"},
      // From the outside-in probes, once the site speaks HTTPS (kSiteProbeScheme).
      {"CertificateExpiresSoon",
       fmt::format("probe_ssl_earliest_cert_expiry - time() < {} * 86400", kCertificateWarningDays), "0s", "warning",
       "the certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}"},
  };
}

}  // namespace

std::string RenderAlertRules(const RenderContext& ctx) {
  std::string out = RenderedHeader(ctx, "Prometheus rules (health, SLOs, alerts)");
  out += "groups:\n";
  out += RecordingGroup("foobar-health", HealthRecordings());
  out += RecordingGroup("foobar-site", SiteRecordings());
  out += AlertGroup("foobar-availability", AvailabilityAlerts());
  const auto vip_alerts = VipAlerts(ctx.topology);
  if (!vip_alerts.empty()) out += AlertGroup("foobar-vips", vip_alerts);
  out += AlertGroup("foobar-databases", DatabaseAlerts());
  out += AlertGroup("foobar-slo", SloAlerts());
  out += AlertGroup("foobar-capacity", CapacityAlerts());
  return out;
}

}  // namespace foobar::ctl
