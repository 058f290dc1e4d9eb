#include "ctl/render/service_configs.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "ctl/render/alertmanager_config.h"
#include "ctl/render/app_config.h"
#include "ctl/render/blackbox_config.h"
#include "ctl/render/dnsmasq_config.h"
#include "ctl/render/etcd_config.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/keepalived_config.h"
#include "ctl/render/mariadb_config.h"
#include "ctl/render/nginx_config.h"
#include "ctl/render/prometheus_config.h"
#include "ctl/render/sentinel_config.h"
#include "ctl/render/sshd_config.h"

namespace foobar::ctl {
namespace {

// path and render are null for a daemon configured by its command line alone (the exporters).
struct ServiceRenderer {
  const char* service;
  std::filesystem::path (*path)(const HostPaths&);
  std::string (*render)(const RenderContext&);
};

constexpr std::array<ServiceRenderer, 15> kRenderers = {{
    {"dns", &DnsmasqConfigPath, &RenderDnsmasqConfig},
    {"sshd", &SshdConfigPath, &RenderSshdConfig},
    {"etcd", &EtcdConfigPath, &RenderEtcdConfig},
    {"mariadb", &MariadbConfigPath, &RenderMariadbConfig},
    {"sentinel", &SentinelConfigPath, &RenderSentinelConfig},
    {"app", &AppConfigPath, &RenderAppConfig},
    {"nginx", &NginxConfigPath, &RenderNginxConfig},
    {"haproxy", &HaproxyConfigPath, &RenderHaproxyConfig},
    {"keepalived", &KeepalivedConfigPath, &RenderKeepalivedConfig},
    {"node_exporter", nullptr, nullptr},
    {"nginx_exporter", nullptr, nullptr},
    {"mysqld_exporter", nullptr, nullptr},
    {"blackbox_exporter", &BlackboxConfigPath, &RenderBlackboxConfig},
    {"alertmanager", &AlertmanagerConfigPath, &RenderAlertmanagerConfig},
    {"prometheus", &PrometheusConfigPath, &RenderPrometheusConfig},
}};

const ServiceRenderer& FindRenderer(const std::string& service) {
  for (const auto& r : kRenderers)
    if (service == r.service) return r;
  throw std::invalid_argument(fmt::format("unknown service '{}'", service));
}

}  // namespace

std::filesystem::path ServiceConfigPath(const HostPaths& paths, const std::string& service) {
  const ServiceRenderer& renderer = FindRenderer(service);
  return renderer.path ? renderer.path(paths) : std::filesystem::path();
}

RenderedConfig RenderServiceConfig(const RenderContext& ctx, const std::string& service) {
  const ServiceRenderer& renderer = FindRenderer(service);
  if (!ctx.host.Runs(service))
    throw std::invalid_argument(fmt::format("host '{}' does not run '{}'", ctx.host.name, service));
  if (!renderer.path)
    return {{}, fmt::format("# {} on {} has no config file: its command line is all of its configuration.\n",
                            service, ctx.host.name)};
  return {renderer.path(ctx.paths), renderer.render(ctx)};
}

std::vector<RenderedConfig> RenderHostConfigs(const RenderContext& ctx) {
  std::vector<RenderedConfig> configs;
  for (const auto& service : ctx.host.services)
    if (FindRenderer(service).path) configs.push_back(RenderServiceConfig(ctx, service));
  return configs;
}

}  // namespace foobar::ctl
