#include "ctl/render/service_configs.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "ctl/render/app_config.h"
#include "ctl/render/dnsmasq_config.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/keepalived_config.h"
#include "ctl/render/mariadb_config.h"
#include "ctl/render/nginx_config.h"

namespace foobar::ctl {
namespace {

struct ServiceRenderer {
  const char* service;
  std::filesystem::path (*path)(const HostPaths&);
  std::string (*render)(const RenderContext&);
};

constexpr std::array<ServiceRenderer, 6> kRenderers = {{
    {"dns", &DnsmasqConfigPath, &RenderDnsmasqConfig},
    {"mariadb", &MariadbConfigPath, &RenderMariadbConfig},
    {"app", &AppConfigPath, &RenderAppConfig},
    {"nginx", &NginxConfigPath, &RenderNginxConfig},
    {"haproxy", &HaproxyConfigPath, &RenderHaproxyConfig},
    {"keepalived", &KeepalivedConfigPath, &RenderKeepalivedConfig},
}};

const ServiceRenderer& FindRenderer(const std::string& service) {
  for (const auto& r : kRenderers)
    if (service == r.service) return r;
  throw std::invalid_argument(fmt::format("unknown service '{}'", service));
}

}  // namespace

std::filesystem::path ServiceConfigPath(const HostPaths& paths, const std::string& service) {
  return FindRenderer(service).path(paths);
}

RenderedConfig RenderServiceConfig(const RenderContext& ctx, const std::string& service) {
  const ServiceRenderer& renderer = FindRenderer(service);
  if (!ctx.host.Runs(service))
    throw std::invalid_argument(fmt::format("host '{}' does not run '{}'", ctx.host.name, service));
  return {renderer.path(ctx.paths), renderer.render(ctx)};
}

std::vector<RenderedConfig> RenderHostConfigs(const RenderContext& ctx) {
  std::vector<RenderedConfig> configs;
  for (const auto& service : ctx.host.services)
    configs.push_back(RenderServiceConfig(ctx, service));
  return configs;
}

}  // namespace foobar::ctl
