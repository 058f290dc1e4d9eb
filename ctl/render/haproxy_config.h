// HAProxy on the load balancer: the public entry point of the site, spreading requests over
// every Nginx app server with health checks and L7 retries.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/haproxy/haproxy.cfg; run as `haproxy -W -db -f CFG -p Run()/haproxy.pid`.
std::filesystem::path HaproxyConfigPath(const HostPaths& paths);
// Run()/haproxy.sock: the runtime API (admin level), for drain/ready and `show stat`.
std::filesystem::path HaproxyStatsSocketPath(const HostPaths& paths);

// haproxy.cfg for ctx.host. Throws std::invalid_argument if the host has no public address.
std::string RenderHaproxyConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
