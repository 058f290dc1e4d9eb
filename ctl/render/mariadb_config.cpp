#include "ctl/render/mariadb_config.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <stdexcept>

#include "ctl/render/render_common.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {

std::filesystem::path MariadbConfigPath(const HostPaths& paths) {
  return paths.Etc() / "mariadb" / "my.cnf";
}

std::filesystem::path MariadbSocketPath(const HostPaths& paths) {
  return paths.Run() / "mysqld.sock";
}

unsigned MariadbServerId(const std::string& private_address) {
  in_addr addr{};
  if (inet_pton(AF_INET, private_address.c_str(), &addr) != 1)
    throw std::invalid_argument("'" + private_address + "' is not an IPv4 address");
  const unsigned id = ntohl(addr.s_addr) & 0xFFFFu;
  if (id == 0) throw std::invalid_argument("'" + private_address + "' gives server-id 0");
  return id;
}

namespace {

// Only with several database servers: lossless semi-synchronous replication.
constexpr const char* kSemiSyncSection = R"(
# Semi-synchronous replication, lossless: a commit is acknowledged to the client only after
# a replica has the transaction in its relay log (AFTER_SYNC: other sessions do not see it
# before either). A primary cut off from every replica waits instead of falling back to
# asynchronous replication (wait_no_slave, and a timeout of ~584 million years): it stops
# acknowledging writes rather than diverge. foobar-sentinel switches the waiting off on
# purpose, and logs it, only when a majority of sentinels sees no replica left.
#
# The master side starts OFF on every server and foobar-sentinel turns it on on the primary
# only: with log_slave_updates, a replica whose master side is on makes its own SQL thread
# wait for an acknowledgement that never comes ("Waiting for semi-sync ACK from slave").
rpl_semi_sync_master_enabled = OFF
rpl_semi_sync_master_wait_point = AFTER_SYNC
rpl_semi_sync_master_wait_no_slave = ON
rpl_semi_sync_master_timeout = 18446744073709551615
rpl_semi_sync_slave_enabled = ON
# A replica gives up on a silent primary after 1 s (the primary sends a heartbeat every 0.5 s
# when idle, set by CHANGE MASTER) and retries every second. This also bounds a connection
# attempt to a dead primary, which STOP SLAVE (the first step of a failover) has to wait out.
slave_net_timeout = 1
)";

// [security] end_to_end_tls: the server's lab-CA certificate (naming the host and its private
// address, which clients connect to and verify), and no TCP client without TLS. Copies that
// mysql can read (ctl/lab/mariadb_tls.h): mariadbd reads them after dropping to that user.
std::string TlsSection(const RenderContext& ctx) {
  if (!ctx.topology.security.end_to_end_tls) return "";
  return fmt::format(R"(
# [security] end_to_end_tls: the app, the sentinels and the replicas connect over TLS and
# verify this certificate against the lab CA. Every TCP account is also REQUIRE SSL; the
# admin socket (unix) counts as secure and stays as it is.
ssl_cert = {cert}
ssl_key = {key}
ssl_ca = {ca}
tls_version = TLSv1.2,TLSv1.3
require_secure_transport = ON
)",
                     fmt::arg("cert", ConfigPath(MariadbTlsCertPath(ctx.paths))),
                     fmt::arg("key", ConfigPath(MariadbTlsKeyPath(ctx.paths))),
                     fmt::arg("ca", ConfigPath(MariadbTlsCaPath(ctx.paths))));
}

}  // namespace

std::string RenderMariadbConfig(const RenderContext& ctx) {
  const std::string& private_address = RequireAddress(ctx.host, "private", "mariadb");
  const bool single_server = ctx.topology.HostsRunning("mariadb").size() == 1;
  const char* read_only_why =
      single_server
          ? "# The topology's only database server: it is the primary from the start."
          : "# Several database servers: each starts read-only, and only a promotion makes\n"
            "# one of them the writable primary (no two primaries, even after a restart).";
  const std::string socket = ConfigPath(MariadbSocketPath(ctx.paths));

  return fmt::format(
      R"({header}
[client]
socket = {socket}

[mariadb-client]
socket = {socket}

[mariadbd]
user = mysql
datadir = {data}/mysql
socket = {socket}
pid-file = {run}/mysqld.pid
log-error = {log}/mariadb-error.log
# The private network only; the app servers connect by address (no DNS lookups).
bind-address = {private_address}
port = {port}
skip-name-resolve
skip-external-locking

# Replication: unique server-id (from the private address), row binlog with GTIDs.
server-id = {server_id}
log-bin = mysql-bin
# Fixed relay log name: the default derives from the hostname, which lab hosts share.
relay-log = relay-bin
binlog_format = ROW
gtid_strict_mode = ON
log_slave_updates = ON
# A week of binlogs, enough to rebuild a replica that was away; no unbounded growth.
binlog_expire_logs_seconds = 604800

# Durability is the point: a committed transaction is on disk, binlog and InnoDB alike.
sync_binlog = 1
innodb_flush_log_at_trx_commit = 1

# Many database hosts share one small machine: small buffer pool, no performance schema.
innodb_buffer_pool_size = 128M
performance_schema = OFF

default-time-zone = '+00:00'
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
# Each app process holds a pool of 8; room for many app servers, admin and replication.
max_connections = 300

{read_only_why}
read_only = {read_only}
{semi_sync}{tls})",
      fmt::arg("header",
               RenderedHeader(ctx, "MariaDB, database server of " + ctx.topology.site.name)),
      fmt::arg("socket", socket), fmt::arg("data", ConfigPath(ctx.paths.Data())),
      fmt::arg("run", ConfigPath(ctx.paths.Run())), fmt::arg("log", ConfigPath(ctx.paths.Log())),
      fmt::arg("private_address", private_address), fmt::arg("port", kMariadbPort),
      fmt::arg("server_id", MariadbServerId(private_address)),
      fmt::arg("read_only_why", read_only_why),
      fmt::arg("read_only", single_server ? "OFF" : "ON"),
      fmt::arg("semi_sync", single_server ? "" : kSemiSyncSection), fmt::arg("tls", TlsSection(ctx)));
}

}  // namespace foobar::ctl
