// Nginx on each app server: the site's static files from disk, and the API and health
// endpoints proxied to the foobar-app on the same host's loopback, behind the WAF
// (ModSecurity, rules in modsecurity_config.h), with the security headers on every response
// and JSON bodies for the errors Nginx answers itself.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/nginx/nginx.conf; run as `nginx -c CONF -p Run()/nginx/` (the file says daemon off).
// The temp directories it names under Run()/nginx/ and Log() must exist before it starts.
std::filesystem::path NginxConfigPath(const HostPaths& paths);

// nginx.conf for ctx.host. Throws std::invalid_argument if the host has no private address.
std::string RenderNginxConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
