// etcd on each coordination host: one member of the cluster of every host running "etcd",
// on the private network. foobar-sentinel keeps its leader election, its opinions of the
// databases and the cluster record there (sentinel/README.md); nothing else uses it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {


// Etc()/etcd/etcd.yml; run as `etcd --config-file FILE`.
std::filesystem::path EtcdConfigPath(const HostPaths& paths);
// Data()/etcd: the member's write-ahead log and snapshots.
std::filesystem::path EtcdDataDir(const HostPaths& paths);

// "http://ADDR:2379" of every etcd member, in topology order.
std::vector<std::string> EtcdClientUrls(const Topology& topology);

// etcd.yml for ctx.host. Throws std::invalid_argument if the host has no private address.
std::string RenderEtcdConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
