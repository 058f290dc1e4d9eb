#include "ctl/render/app_config.h"

#include <fmt/format.h>

#include <iterator>

#include "ctl/render/monitoring.h"
#include "ctl/render/render_common.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
std::filesystem::path AppConfigPath(const HostPaths& paths) {
  return paths.Etc() / "app" / "app.toml";
}

namespace {

// In a monitored topology, GET /metrics on the host's private address, where Prometheus on
// the monitoring host scrapes it (never through Nginx: the site does not serve it).
std::string MetricsListenLine(const RenderContext& ctx) {
  if (!IsMonitored(ctx.topology)) return "";
  return fmt::format("# Prometheus scrapes GET /metrics here (private network only).\nmetrics_listen = {}\n",
                     QuotedString(fmt::format("{}:{}", RequireAddress(ctx.host, "private", "app"),
                                              kAppMetricsPort)));
}

// [security] end_to_end_tls: TLS to every database server, its certificate verified against
// the lab CA (the app runs as root, like the rest of the lab's own daemons, and reads it from the
// secrets store as it reads its credentials).
std::string SslCaLine(const RenderContext& ctx) {
  if (!ctx.topology.security.end_to_end_tls) return "";
  return "# [security] end_to_end_tls: TLS to every server, its certificate verified with this CA.\nssl_ca = " +
         QuotedString(LabCaCertPath(ctx.secrets).string()) + "\n";
}

}  // namespace

std::string RenderAppConfig(const RenderContext& ctx) {
  fmt::memory_buffer servers;
  for (const Host* db : ctx.topology.HostsRunning("mariadb")) {
    if (servers.size() > 0) fmt::format_to(std::back_inserter(servers), ", ");
    fmt::format_to(
        std::back_inserter(servers), "{}",
        QuotedString(RequireAddress(*db, "private", "mariadb") + ":" + std::to_string(kMariadbPort)));
  }

  return fmt::format(
      R"({header}
host_name = {host_name}
# Loopback only: Nginx on this host is the only way in.
listen = {listen}
{metrics_listen}# The lab's hosts all share this machine's 2 cores.
threads = 2

[database]
# Every MariaDB server's private address, in topology order.
servers = [{servers}]
name = {database}
# The account in use and its password, read again at every new connection: `foobar secrets
# rotate` replaces the file and the app moves its connections to the new account.
credentials_file = {credentials_file}
# Connections per app process and server (the primary's pool, and one per replica): a few
# app servers stay well under MariaDB's max_connections.
pool_size = 8
# Reads go to a replica only while it is at most this many seconds behind its primary
# (Seconds_Behind_Master); with none left they go to the primary.
replica_max_lag_s = 5
# A read carrying the client's last write (cookie fb_rw) waits this long on a replica for
# that GTID (MASTER_GTID_WAIT), then reads from the primary instead.
read_your_writes_timeout_ms = 500
{ssl_ca})",
      fmt::arg("header",
               RenderedHeader(ctx, "foobar-app, application server of " + ctx.topology.site.name)),
      fmt::arg("host_name", QuotedString(ctx.host.name)),
      fmt::arg("listen", QuotedString(fmt::format("127.0.0.1:{}", kAppPort))),
      fmt::arg("metrics_listen", MetricsListenLine(ctx)),
      fmt::arg("servers", fmt::to_string(servers)), fmt::arg("database", QuotedString(kDatabaseName)),
      fmt::arg("credentials_file", QuotedString((ctx.secrets / kAppDbCredentialsFile).string())),
      fmt::arg("ssl_ca", SslCaLine(ctx)));
}

}  // namespace foobar::ctl
