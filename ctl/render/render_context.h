// What every config renderer gets: the whole topology, the host being rendered, and where
// that host's files and the lab's secrets live. Renderers are pure functions of this.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/topology.h"

namespace foobar::ctl {

struct RenderContext {
  const Topology& topology;
  const Host& host;
  HostPaths paths;                  // the rendered host's own tree
  std::filesystem::path secrets;    // StatePaths::Secrets()
  std::filesystem::path app_binary; // the foobar-app executable to run
};

// Fixed ports of the stack (one place, so configs and checks agree).
inline constexpr int kHttpPort = 80;        // HAProxy on public side, Nginx on private side
inline constexpr int kAppPort = 8080;       // foobar-app, loopback only
inline constexpr int kMariadbPort = 3306;
inline constexpr int kDnsPort = 53;
inline constexpr int kHttpsPort = 443;      // HAProxy (TLS) and Nginx (end-to-end TLS)
inline constexpr int kEtcdClientPort = 2379;
inline constexpr int kEtcdPeerPort = 2380;

// Names of things the renderers and the lab share.
inline constexpr const char* kDatabaseName = "foobar";
inline constexpr const char* kAppDbUser = "foobar_app";
inline constexpr const char* kAppDbPasswordFile = "db-app.password";  // under secrets/

}  // namespace foobar::ctl
