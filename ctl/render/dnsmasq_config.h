// dnsmasq on the lab's DNS host: authoritative for the topology's domain, answering the
// site's name with every site address; no recursion, no upstream servers.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/dnsmasq/dnsmasq.conf; run as `dnsmasq --conf-file=CONF` (the file says
// keep-in-foreground).
std::filesystem::path DnsmasqConfigPath(const HostPaths& paths);

// dnsmasq.conf for ctx.host. Throws std::invalid_argument if the host has no public address.
std::string RenderDnsmasqConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
