// MariaDB on each database host: durable (binlog + InnoDB flushed on every commit), GTID
// replication ready, and read-only unless it is the topology's only database server. With
// several servers, lossless semi-synchronous replication is configured too (the master side
// is switched on by foobar-sentinel on the primary only; see sentinel/README.md).
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/mariadb/my.cnf; run as `mariadbd --defaults-file=CNF`.
std::filesystem::path MariadbConfigPath(const HostPaths& paths);
// Run()/mysqld.sock: the local socket (the `mariadb` client finds it through [client]).
std::filesystem::path MariadbSocketPath(const HostPaths& paths);

// server-id from a private address A.B.C.D: 256 * C + D, unique within the private network
// (at most a /16). Throws std::invalid_argument for a malformed address or a result of 0.
unsigned MariadbServerId(const std::string& private_address);

// my.cnf for ctx.host. Throws std::invalid_argument if the host has no private address.
std::string RenderMariadbConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
