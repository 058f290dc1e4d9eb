#include "ctl/render/prometheus_config.h"

#include <fmt/format.h>

#include <iterator>
#include <stdexcept>

#include "ctl/render/monitoring.h"
#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// One static_configs entry: one target and its labels.
std::string Target(const std::string& address, const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string out = fmt::format("      - targets: [{}]\n", QuotedString(address));
  if (labels.empty()) return out;
  out += "        labels:\n";
  for (const auto& [name, value] : labels) out += fmt::format("          {}: {}\n", name, QuotedString(value));
  return out;
}

// A job scraping `port` on every host running `service`, each target labelled with its host.
// "  # " before each line of a comment.
std::string Comment(const std::string& text) {
  std::string out = "  # ";
  for (char c : text) out += c == '\n' ? std::string("\n  # ") : std::string(1, c);
  return out + "\n";
}

std::string ExporterJob(const Topology& t, const std::string& job, const std::string& service, int port,
                        const std::string& comment) {
  const auto hosts = t.HostsRunning(service);
  if (hosts.empty()) return "";
  std::string out = "\n" + Comment(comment) + fmt::format("  - job_name: {}\n    static_configs:\n", job);
  for (const Host* h : hosts)
    out += Target(fmt::format("{}:{}", ScrapeAddress(*h), port), {{"host", h->name}});
  return out;
}

// The probes go through the client's blackbox exporter: Prometheus asks it for /probe?target=...
// and the request to the site starts on the client, on the public network, like a user's.
std::string ProbeJob(const std::string& job, const std::string& module, const Host& prober,
                     const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>& targets,
                     const std::string& comment) {
  std::string out = "\n" + Comment(comment) +
                    fmt::format("  - job_name: {}\n    metrics_path: /probe\n    params:\n      module: [{}]\n"
                                "    static_configs:\n",
                                job, module);
  for (const auto& [target, labels] : targets) {
    auto all = labels;
    all.insert(all.begin(), {"host", prober.name});
    out += Target(target, all);
  }
  out += fmt::format(
      "    relabel_configs:\n"
      "      # The target is a parameter of the probe; the scrape goes to the exporter.\n"
      "      - source_labels: [__address__]\n"
      "        target_label: __param_target\n"
      "      - source_labels: [__param_target]\n"
      "        target_label: instance\n"
      "      - target_label: __address__\n"
      "        replacement: {}\n",
      QuotedString(fmt::format("{}:{}", ScrapeAddress(prober), kBlackboxExporterPort)));
  return out;
}

std::string ProbeJobs(const Topology& t) {
  const auto probers = t.HostsRunning("blackbox_exporter");
  if (probers.empty()) return "";
  const Host& prober = *probers.front();
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> site, addresses, dns;
  for (const auto& url : SiteProbeUrls(t)) site.push_back({url, {}});
  for (const auto& address : t.site.addresses) {
    std::vector<std::pair<std::string, std::string>> labels = {{"site_address", address}};
    for (const Vip& vip : t.vips)
      if (vip.address == address) labels.push_back({"vip", vip.name});
    addresses.push_back({fmt::format("{}://{}/", kSiteProbeScheme, address), labels});
  }
  for (const Host* server : t.HostsRunning("dns"))
    dns.push_back({*server->AddressOn("public"), {{"dns_server", server->name}}});
  return ProbeJob("blackbox_site", "http_site", prober, site,
                  "Uptime as a user sees it: the site by name, through DNS, a VIP, HAProxy, Nginx,\n"
                  "the app and the database.") +
         ProbeJob("blackbox_site_addresses", "http_site_address", prober, addresses,
                  "Each address DNS gives for the site, one by one: a VIP nobody serves shows here.") +
         ProbeJob("blackbox_dns", "dns_site", prober, dns, "The site's name, asked of each DNS server.");
}

}  // namespace

std::filesystem::path PrometheusConfigPath(const HostPaths& paths) {
  return paths.Etc() / "prometheus" / "prometheus.yml";
}

std::filesystem::path PrometheusRulesPath(const HostPaths& paths) {
  return paths.Etc() / "prometheus" / "rules" / "foobar.rules.yml";
}

std::filesystem::path PrometheusDataPath(const HostPaths& paths) { return paths.Data() / "prometheus"; }

std::filesystem::path DashboardPath(const HostPaths& paths) { return paths.Www() / "dashboard"; }

std::string RenderPrometheusConfig(const RenderContext& ctx) {
  const Topology& t = ctx.topology;
  if (!ctx.host.Runs("prometheus"))
    throw std::invalid_argument(fmt::format("host '{}' does not run prometheus", ctx.host.name));

  std::string jobs;
  jobs += ExporterJob(t, "node", "node_exporter", kNodeExporterPort,
                      "Every server: CPU, memory, disks, network; on the load balancers also the VRRP\n"
                      "state keepalived writes for the textfile collector.");
  jobs += ExporterJob(t, "haproxy", "haproxy", kHaproxyMetricsPort,
                      "HAProxy's built-in exporter on each load balancer: requests, responses by class,\n"
                      "each app server's health-check state.");
  jobs += ExporterJob(t, "nginx", "nginx_exporter", kNginxExporterPort,
                      "Nginx's stub_status on each app server, through the exporter beside it.");
  jobs += ExporterJob(t, "mysqld", "mysqld_exporter", kMysqldExporterPort,
                      "Each MariaDB server: read_only (which one is the primary), replication threads\n"
                      "and lag.");
  jobs += ExporterJob(t, "foobar_app", "app", kAppMetricsPort,
                      "foobar-app's own /metrics on its private address: requests by route and status,\n"
                      "latency histograms, database pools and queries (app/app_metrics.h).");
  jobs += ProbeJobs(t);

  return fmt::format(
      R"({header}
global:
  # The lab's clock: every 5 s, so an alert with `for: 10s` fires within about 20 s of its fault.
  scrape_interval: {interval}s
  scrape_timeout: {timeout}s
  evaluation_interval: {interval}s
  external_labels:
    topology: {topology}

rule_files:
  - {rules}

alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{alertmanager_port}"]

scrape_configs:
  # Prometheus and Alertmanager themselves, on this host's loopback.
  - job_name: prometheus
    static_configs:
{self_target}
  - job_name: alertmanager
    static_configs:
{alertmanager_target}{jobs})",
      fmt::arg("header", RenderedHeader(ctx, "Prometheus, the monitoring of " + t.site.name)),
      fmt::arg("interval", kScrapeInterval.count()), fmt::arg("timeout", kScrapeInterval.count() - 1),
      fmt::arg("topology", QuotedString(t.name)), fmt::arg("rules", QuotedString(PrometheusRulesPath(ctx.paths).string())),
      fmt::arg("alertmanager_port", kAlertmanagerPort),
      fmt::arg("self_target", Target(fmt::format("127.0.0.1:{}", kPrometheusPort), {{"host", ctx.host.name}})),
      fmt::arg("alertmanager_target",
               Target(fmt::format("127.0.0.1:{}", kAlertmanagerPort), {{"host", ctx.host.name}})),
      fmt::arg("jobs", jobs));
}

}  // namespace foobar::ctl
