// Which config file each service has, and rendering it: what `foobar config HOST SERVICE`
// shows and what the lab writes before starting a service.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

struct RenderedConfig {
  std::filesystem::path path;
  std::string content;
};

// Where `service` (one of KnownServices()) keeps its config file in a host's tree; empty for a
// daemon configured by its command line alone (the exporters).
// Throws std::invalid_argument for an unknown service.
std::filesystem::path ServiceConfigPath(const HostPaths& paths, const std::string& service);

// The config file of `service` on ctx.host (an empty path and a one-line comment for a daemon
// without one); throws std::invalid_argument for a service the host doesn't run.
RenderedConfig RenderServiceConfig(const RenderContext& ctx, const std::string& service);

// Every config file of ctx.host, one per service it runs that has one, in the order of
// host.services.
std::vector<RenderedConfig> RenderHostConfigs(const RenderContext& ctx);

}  // namespace foobar::ctl
