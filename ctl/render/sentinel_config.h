// foobar-sentinel on each sentinel host: which database servers it watches, which etcd
// members it talks to, its own name, the credentials files, and the timings of failure
// detection. sentinel/README.md explains what it does with them.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// The sentinels' database account (monitoring, read-only switching, replication control)
// and the replicas' account on their primary; passwords under secrets/.
inline constexpr const char* kSentinelDbUser = "foobar_sentinel";
inline constexpr const char* kReplicationDbUser = "foobar_repl";
inline constexpr const char* kReplicationDbPasswordFile = "db-repl.password";
// Everything the sentinel does on a database server, and nothing else (database_setup.cpp
// says which privilege is for what).
inline constexpr const char* kSentinelPrivileges =
    "SLAVE MONITOR, BINLOG MONITOR, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, READ_ONLY ADMIN, "
    "RELOAD, PROCESS, CONNECTION ADMIN";

// Each sentinel host has its own password (one account per host address), so `foobar secrets
// rotate` can change one sentinel's while the other two keep watching: "db-sentinel.HOST.password".
std::string SentinelDbPasswordFile(const std::string& host_name);

// Etc()/sentinel/sentinel.toml; run as `foobar-sentinel --config FILE`.
std::filesystem::path SentinelConfigPath(const HostPaths& paths);
// Run()/sentinel-status.json: what the sentinel sees, rewritten on every round.
std::filesystem::path SentinelStatusPath(const HostPaths& paths);

// sentinel.toml for ctx.host. Throws std::invalid_argument if a database or etcd host has
// no private address.
std::string RenderSentinelConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
