#include "ctl/render/haproxy_config.h"

#include <fmt/format.h>

#include <iterator>

#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// One JSON object per request. %ID is the request id that Nginx and the app log too. The URI
// goes through the json converter (%HU would leave a backslash unescaped); retries is a string
// because HAProxy writes "+1" when the last attempt was redispatched.
// Timers (ms): TR request received, Tw queued, Tc connect, Tr server response, Ta total.
constexpr const char* kLogFormat =
    R"('{"time":"%tr","request_id":"%ID","client":"%ci:%cp","frontend":"%f",)"
    R"("backend":"%b","server":"%s","method":"%HM",)"
    R"("uri":"%[capture.req.uri,json(utf8s)]","version":"%HV",)"
    R"("status":%ST,"bytes":%B,"TR":%TR,"Tw":%Tw,"Tc":%Tc,"Tr":%Tr,"Ta":%Ta,)"
    R"("retries":"%rc","termination":"%ts","actconn":%ac,"feconn":%fc,"beconn":%bc,)"
    R"("srv_conn":%sc,"srv_queue":%sq,"backend_queue":%bq}')";

// Unique per request across restarts and load balancers: client ip:port, frontend ip:port,
// accept time, request counter and pid, in hex (the format HAProxy's manual suggests).
constexpr const char* kUniqueIdFormat = R"(%{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid)";

// On a balancer that keepalived runs beside: whether this HAProxy can serve at all (at least
// one app server up), asked by keepalived every second on loopback.
std::string LbHealthFrontend(const RenderContext& ctx) {
  if (!ctx.host.Runs("keepalived")) return "";
  return fmt::format(R"(
# keepalived's question "can this balancer serve?": 200 while at least one app server is up,
# 503 when none is, and then the other balancer should hold the VIPs. Loopback only, not logged.
frontend lb_health
    bind 127.0.0.1:{port}
    mode http
    no log
    monitor-uri {uri}
    monitor fail if {{ nbsrv(app_servers) lt 1 }}
)",
                     fmt::arg("port", kLbHealthPort), fmt::arg("uri", kLbHealthUri));
}

}  // namespace

std::filesystem::path HaproxyConfigPath(const HostPaths& paths) {
  return paths.Etc() / "haproxy" / "haproxy.cfg";
}

std::vector<std::string> HaproxyArgv(const HostPaths& paths) {
  // Master-worker mode in the foreground: the master PID is ours to signal, and a reload
  // (SIGUSR2) starts new workers without dropping connections.
  return {"haproxy", "-W", "-db", "-f", HaproxyConfigPath(paths).string(),
          "-p", (paths.Run() / "haproxy.pid").string()};
}

std::filesystem::path HaproxyStatsSocketPath(const HostPaths& paths) {
  return paths.Run() / "haproxy.sock";
}

std::string RenderHaproxyConfig(const RenderContext& ctx) {
  const std::string& public_address = RequireAddress(ctx.host, "public", "haproxy");

  // The host's own address, then every VIP when keepalived may give this host any of them.
  std::string binds;
  if (ctx.host.Runs("keepalived") && !ctx.topology.vips.empty())
    binds = "    # Its own address and every VIP: keepalived moves the VIPs between the balancers,\n"
            "    # and ip_nonlocal_bind lets HAProxy listen on one this host does not hold now.\n";
  binds += fmt::format("    bind {}:{}\n", public_address, kHttpPort);
  if (ctx.host.Runs("keepalived"))
    for (const Vip& vip : ctx.topology.vips)
      binds += fmt::format("    bind {}:{}\n", vip.address, kHttpPort);

  fmt::memory_buffer servers;
  // tcp-ut: a request an app server's kernel has not even acknowledged within 500 ms means the
  // host is gone (power loss, cut link); the connection is aborted and the request retried on
  // another server at once, instead of after `timeout server`. A slow app still acknowledges.
  for (const Host* app : ctx.topology.HostsRunning("nginx")) {
    fmt::format_to(std::back_inserter(servers),
                   "    server {} {}:{} check inter 1s fall 2 rise 2 tcp-ut 500ms\n", app->name,
                   RequireAddress(*app, "private", "nginx"), kHttpPort);
  }

  return fmt::format(
      R"({header}
global
    # Logs go to stdout: the lab runs haproxy in the foreground (-W -db) and keeps its output.
    log stdout format raw local0 info
    # Runtime API: drain/ready servers, `show stat`; expose-fd lets a reload keep the sockets.
    stats socket {stats_socket} mode 600 level admin expose-fd listeners
    # Workers drop root once the sockets are bound.
    user haproxy
    group haproxy
    # Ceiling on concurrent client connections; beyond it the kernel's accept queue holds them.
    # Each needs 2 file descriptors (client + server) and this machine's hard limit is 20000.
    maxconn 4096

defaults
    mode http
    log global
    option dontlognull
    log-format {log_format}
    # Keep client and server connections open between requests (servers are reused, see
    # http-reuse below).
    option http-keep-alive
    # An app server on the LAN that does not accept within 1s is down: try the next one.
    timeout connect 1s
    timeout client 30s
    # A response slower than 10s is a failure (retried below when that is safe).
    timeout server 10s
    # Slow clients (slowloris) get 10s to send their headers, and 10s idle between requests.
    timeout http-request 10s
    timeout http-keep-alive 10s
    # How long a request may wait for a server (e.g. while none is up) before a 503.
    timeout queue 5s
    # A health check answering later than 1s counts as failed.
    timeout check 1s

frontend www
{binds}    # One id per request, sent to Nginx and the app (which log it) and back to the client, so
    # one request can be followed through every log. A client's own X-Request-ID is replaced.
    unique-id-format {unique_id_format}
    http-request set-header X-Request-ID %[unique-id]
    http-response set-header X-Request-ID %[unique-id]
    option forwardfor
    default_backend app_servers

backend app_servers
    # The server with the fewest requests in flight: a slow server gets fewer new ones.
    balance leastconn
    # Active health check on the app's readiness (through Nginx, so both are checked).
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host {site}
    http-check expect status 200
    # Idle server connections are shared between clients, except for each client
    # connection's first request (HAProxy's safe mode).
    http-reuse safe
    # L7 retries: a request that failed on one app server (refused, dropped, too slow, 5xx
    # from Nginx) is replayed on another one; up to 3 times, each time on another server.
    retry-on conn-failure empty-response response-timeout 502 503 504
    retries 3
    option redispatch 1
    # Requests that are not idempotent are not replayed once sent (a connection failure is
    # still retried: the server never saw the request). A POST carrying an Idempotency-Key
    # may be: the app answers a repeated key with the first result instead of storing the
    # message twice.
    http-request disable-l7-retry if METH_POST !{{ req.hdr(Idempotency-Key) -m found }}
    http-request disable-l7-retry if {{ method PATCH }}
    # Every Nginx app server, checked every 1s: out after 2 failed checks, back after 2 good
    # ones, so about 2s to notice either way.
{servers}{lb_health}{metrics})",
      fmt::arg("header",
               RenderedHeader(ctx, "HAProxy, the load balancer of " + ctx.topology.site.name)),
      fmt::arg("stats_socket", ConfigPath(HaproxyStatsSocketPath(ctx.paths))),
      fmt::arg("log_format", kLogFormat), fmt::arg("binds", binds),
      fmt::arg("unique_id_format", kUniqueIdFormat),
      fmt::arg("site", ctx.topology.site.name), fmt::arg("servers", fmt::to_string(servers)),
      fmt::arg("lb_health", LbHealthFrontend(ctx)),
      fmt::arg("metrics", HaproxyMetricsFrontend(ctx)));
}

}  // namespace foobar::ctl
