// Where a lab host keeps its files. Each host is a directory tree of its own under the
// state directory, as if it were a separate machine:
//   STATE/hosts/HOST/etc/   rendered configs (one subdirectory per service)
//   STATE/hosts/HOST/data/  databases and other durable data
//   STATE/hosts/HOST/log/   every log of that host
//   STATE/hosts/HOST/run/   pid files, sockets, temp files
//   STATE/hosts/HOST/www/   the site's static files as deployed on that host
//   STATE/secrets/          generated passwords, root-only (0700 dir, 0600 files)
//   STATE/topology.toml     the record of the lab that is up (see lab/lab_state.h)
#pragma once

#include <filesystem>
#include <string>

namespace foobar::ctl {

struct HostPaths {
  std::filesystem::path root;

  std::filesystem::path Etc() const { return root / "etc"; }
  std::filesystem::path Data() const { return root / "data"; }
  std::filesystem::path Log() const { return root / "log"; }
  std::filesystem::path Run() const { return root / "run"; }
  std::filesystem::path Www() const { return root / "www"; }
};

struct StatePaths {
  std::filesystem::path root;  // FOOBAR_STATE_DIR, default /var/lib/foobar

  // A copy of the topology of the lab that is up: its presence means "a lab exists".
  std::filesystem::path Record() const { return root / "topology.toml"; }
  std::filesystem::path Secrets() const { return root / "secrets"; }
  HostPaths Host(const std::string& name) const { return {root / "hosts" / name}; }
};

// The state directory: $FOOBAR_STATE_DIR if set, else /var/lib/foobar.
StatePaths DefaultStatePaths();

}  // namespace foobar::ctl
