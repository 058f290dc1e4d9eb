#include "ctl/render/haproxy_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/render_common.h"
#include "ctl/render/security_headers.h"
#include "ctl/render/tls_paths.h"

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

// Mozilla's "intermediate" profile (ssl-config.mozilla.org, HAProxy 2.6): TLS 1.2 with AEAD
// ECDHE suites only, TLS 1.3's three suites. The DHE suites of the profile are left out: they
// would need a DH parameter file, and ECDHE serves every client the profile targets.
constexpr const char* kBindCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kBindCiphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// The rate limiter's answer: JSON like the app's errors, saying what the limit is.
std::string TooManyRequestsBody() {
  return fmt::format(R"({{"error":"too many requests","limit":"{} requests per {} s"}})", kHaproxyRateLimitRequests,
                     kHaproxyRateLimitWindowS);
}

// The statuses HAProxy answers itself (a slow request: 408; no server: 503; a server failing:
// 502/504), as JSON like the app's errors, with the site's security headers, instead of its
// HTML pages. 429 is the rate limiter's own `return` above. Not covered, checked on 2.6: the
// 400 its HTTP/1 parser sends for a malformed or oversized request, before any stream exists,
// ignores both http-error and errorfile and stays HAProxy's built-in HTML.
constexpr int kOwnErrorStatuses[] = {400, 403, 408, 500, 502, 503, 504};

std::string OwnErrors() {
  std::string headers = " hdr Cache-Control no-store";
  for (const auto& [name, value] : kSiteSecurityHeaders) headers += fmt::format(" hdr {} {}", name, value);
  std::string out = "    # HAProxy's own errors: JSON, no server detail, the site's security headers.\n";
  for (const auto& [status, message] : kSiteErrors) {
    if (std::find(std::begin(kOwnErrorStatuses), std::end(kOwnErrorStatuses), status) == std::end(kOwnErrorStatuses))
      continue;
    out += fmt::format("    http-error status {} content-type application/json string '{{\"error\":\"{}\"}}'{}\n",
                       status, message, headers);
  }
  return out;
}

// The abuse limits of the public frontend: per source address, a request rate (429 beyond it)
// and a number of open connections (refused beyond it), except for the topology's allowlist.
std::string AbuseLimits(const RenderContext& ctx) {
  std::string exempt_acl, unless_exempt;
  if (!ctx.topology.security.rate_limit_exempt.empty()) {
    exempt_acl = "    # [security] rate_limit_exempt (default: the loadgen host): load and fault tests measure\n"
                 "    # the stack, not the limiter.\n    acl rate_limit_exempt src";
    for (const auto& a : ctx.topology.security.rate_limit_exempt) exempt_acl += " " + a;
    exempt_acl += "\n";
    unless_exempt = " !rate_limit_exempt";
  }
  return fmt::format(R"(    # Abuse limits per client address: one entry per source, forgotten a minute after its last
    # request. A person browsing makes a few requests per page; {requests} in {window} s is far above.
    stick-table type ip size 100k expire 60s store http_req_rate({window}s),conn_cur
{exempt_acl}    tcp-request connection track-sc0 src
    tcp-request connection reject if {{ sc_conn_cur(0) gt {connections} }}{unless_exempt}
    http-request return status 429 content-type application/json string '{body}' hdr Retry-After {window} if {{ sc_http_req_rate(0) gt {requests} }}{unless_exempt}
)",
                     fmt::arg("requests", kHaproxyRateLimitRequests), fmt::arg("window", kHaproxyRateLimitWindowS),
                     fmt::arg("connections", kHaproxyConnectionLimit), fmt::arg("exempt_acl", exempt_acl),
                     fmt::arg("unless_exempt", unless_exempt), fmt::arg("body", TooManyRequestsBody()));
}

// One Nginx server line; with end-to-end TLS it is reached on 443 and its certificate (from
// the lab CA, naming the host) is verified.
std::string ServerLine(const RenderContext& ctx, const Host& app) {
  const std::string& address = RequireAddress(app, "private", "nginx");
  if (!ctx.topology.security.end_to_end_tls)
    return fmt::format("    server {} {}:{} check inter 1s fall 2 rise 2 tcp-ut 500ms\n", app.name, address, kHttpPort);
  return fmt::format(
      "    server {} {}:{} check inter 1s fall 2 rise 2 tcp-ut 500ms ssl verify required ca-file {} verifyhost {} alpn http/1.1\n",
      app.name, address, kHttpsPort, ConfigPath(LabCaCertPath(ctx.secrets)), app.name);
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
  std::vector<std::string> addresses = {public_address};
  if (ctx.host.Runs("keepalived"))
    for (const Vip& vip : ctx.topology.vips) addresses.push_back(vip.address);
  // Port 80 only redirects; 443 terminates TLS (HTTP/2 or HTTP/1.1 by ALPN).
  const std::string crt = ConfigPath(SiteCertificatePem(ctx.topology, ctx.secrets));
  for (const auto& address : addresses) {
    binds += fmt::format("    bind {}:{}\n", address, kHttpPort);
    binds += fmt::format("    bind {}:{} ssl crt {} alpn h2,http/1.1\n", address, kHttpsPort, crt);
  }

  fmt::memory_buffer servers;
  // tcp-ut: a request an app server's kernel has not even acknowledged within 500 ms means the
  // host is gone (power loss, cut link); the connection is aborted and the request retried on
  // another server at once, instead of after `timeout server`. A slow app still acknowledges.
  for (const Host* app : ctx.topology.HostsRunning("nginx"))
    fmt::format_to(std::back_inserter(servers), "{}", ServerLine(ctx, *app));

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
    # TLS: Mozilla's intermediate profile (TLS 1.2 and 1.3 only). No session tickets: their key
    # would never rotate; session ids still resume.
    ssl-default-bind-ciphers {bind_ciphers}
    ssl-default-bind-ciphersuites {bind_ciphersuites}
    ssl-default-bind-options prefer-client-ciphers ssl-min-ver TLSv1.2 no-tls-tickets
    ssl-default-server-options ssl-min-ver TLSv1.2 no-tls-tickets

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
    # A client silent for 20s (mid-request or mid-response) is dropped.
    timeout client 20s
    # A response slower than 10s is a failure (retried below when that is safe).
    timeout server 10s
    # Slow clients (slowloris): 5s to send a whole request, headers and (buffered below) body,
    # and 10s idle between requests.
    timeout http-request 5s
    timeout http-keep-alive 10s
    # How long a request may wait for a server (e.g. while none is up) before a 503.
    timeout queue 5s
    # A health check answering later than 1s counts as failed.
    timeout check 1s
{own_errors}
frontend www
{binds}    # At most this many connections at once on this frontend (the rest wait in the kernel).
    maxconn 4000
    # Wait for a request's whole body within timeout http-request (a slow POST is no way around it).
    option http-buffer-request
{abuse}    http-request redirect scheme https code 301 unless {{ ssl_fc }}
    # On every answer, HAProxy's own (429, 503) too: browsers keep to HTTPS for two years, and
    # no server software or version is named.
    http-after-response set-header Strict-Transport-Security "max-age=63072000" if {{ ssl_fc }}
    http-after-response del-header Server
    # One id per request, sent to Nginx and the app (which log it) and back to the client, so
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
      fmt::arg("log_format", kLogFormat), fmt::arg("binds", binds), fmt::arg("own_errors", OwnErrors()),
      fmt::arg("bind_ciphers", kBindCiphers), fmt::arg("bind_ciphersuites", kBindCiphersuites),
      fmt::arg("abuse", AbuseLimits(ctx)),
      fmt::arg("unique_id_format", kUniqueIdFormat),
      fmt::arg("site", ctx.topology.site.name), fmt::arg("servers", fmt::to_string(servers)),
      fmt::arg("lb_health", LbHealthFrontend(ctx)),
      fmt::arg("metrics", HaproxyMetricsFrontend(ctx)));
}

}  // namespace foobar::ctl
