// The blackbox exporter on the client: the probes Prometheus asks for (GET /probe?module=M&target=T),
// run from outside the site, on the public network, like a user's browser.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/blackbox_exporter/blackbox.yml.
std::filesystem::path BlackboxConfigPath(const HostPaths& paths);

// Modules: http_site (a URL of the site by name), http_site_address (one of the site's addresses,
// with the site's Host header), dns_site (the site's A record from a DNS server).
std::string RenderBlackboxConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
