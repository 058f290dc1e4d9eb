// HAProxy on the load balancer: the public entry point of the site, spreading requests over
// every Nginx app server with health checks and L7 retries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/haproxy/haproxy.cfg.
std::filesystem::path HaproxyConfigPath(const HostPaths& paths);
// How the lab runs HAProxy: `haproxy -W -db -f CFG -p Run()/haproxy.pid`. keepalived tracks the
// process by this command line, so both take it from here.
std::vector<std::string> HaproxyArgv(const HostPaths& paths);
// On a host running keepalived: http://127.0.0.1:PORT/URI answers 200 while this HAProxy has at
// least one app server up, 503 when it has none (keepalived's vrrp_script asks it).
inline constexpr int kLbHealthPort = 8404;
inline constexpr const char* kLbHealthUri = "/lb-health";

// Abuse limits of the public frontend, per client address (sources on the topology's
// [security] rate_limit_exempt list are exempt): more than kHaproxyRateLimitRequests requests in
// the last kHaproxyRateLimitWindowS seconds get 429 (JSON body, Retry-After); more than
// kHaproxyConnectionLimit connections open at once are refused.
inline constexpr int kHaproxyRateLimitRequests = 1000;
inline constexpr int kHaproxyRateLimitWindowS = 10;
inline constexpr int kHaproxyConnectionLimit = 100;

// Run()/haproxy.sock: the runtime API (admin level), for drain/ready and `show stat`.
std::filesystem::path HaproxyStatsSocketPath(const HostPaths& paths);

// haproxy.cfg for ctx.host: it listens (80: redirect to HTTPS; 443: TLS) on its public address and, on a host running
// keepalived, on every VIP of the topology (ip_nonlocal_bind lets it bind those it does not
// hold), so it serves whichever VIPs VRRP gives it. Throws std::invalid_argument if the host
// has no public address.
std::string RenderHaproxyConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
