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
// The app's two database accounts, used in turn so that `foobar secrets rotate` can change the
// password with no failed request (MariaDB 10.11 has no dual passwords). The credentials file
// under secrets/ names the account in use and holds its password: "USER\nPASSWORD\n".
inline constexpr const char* kAppDbUserA = "foobar_app_a";
inline constexpr const char* kAppDbUserB = "foobar_app_b";
inline constexpr const char* kAppDbCredentialsFile = "db-app.credentials";

}  // namespace foobar::ctl
