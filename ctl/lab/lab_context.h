// LabContext: what every lab action needs — the topology, where state lives, and where
// the project's own files (app binary, site, schema) come from.
#pragma once

#include <filesystem>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"
#include "ctl/topology.h"

namespace foobar::ctl {

struct LabContext {
  Topology topology;
  StatePaths state;
  std::filesystem::path app_binary;  // foobar-app, beside the foobar executable
  std::filesystem::path source_dir;  // the repository: site/, schema/, topologies/

  RenderContext ForHost(const Host& host) const {
    return RenderContext{topology, host, state.Host(host.name), state.Secrets(), app_binary};
  }
  const Host& HostNamed(const std::string& name) const;  // throws LabError if unknown
};

// The project's own directories, found from the running executable.
std::filesystem::path SourceDir();
std::filesystem::path AppBinary();

}  // namespace foobar::ctl
