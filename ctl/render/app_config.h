// foobar-app's own config (TOML, read with toml++): where it listens, how many threads, and
// which MariaDB servers it uses with which credentials.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/app/app.toml.
std::filesystem::path AppConfigPath(const HostPaths& paths);

// app.toml for ctx.host.
std::string RenderAppConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
