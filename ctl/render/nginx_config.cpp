#include "ctl/render/nginx_config.h"

#include <fmt/format.h>

#include <utility>

#include "ctl/render/modsecurity_config.h"
#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/render_common.h"
#include "ctl/render/security_headers.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

// One JSON object per request; request_id is the X-Request-ID that HAProxy set.
constexpr const char* kAccessLogFormat =
    R"('{"time":"$time_iso8601","request_id":"$http_x_request_id",)"
    R"("remote_addr":"$remote_addr","x_forwarded_for":"$http_x_forwarded_for",)"
    R"("request":"$request","status":$status,"bytes":$body_bytes_sent,)"
    R"("request_time":$request_time,"upstream_addr":"$upstream_addr",)"
    R"("upstream_status":"$upstream_status",)"
    R"("upstream_response_time":"$upstream_response_time",)"
    R"("user_agent":"$http_user_agent"}')";

// `add_header` lines (with `always`: error responses too), indented for a block's body.
std::string SecurityHeaderLines(const std::string& indent) {
  std::string out;
  for (const auto& [name, value] : kSiteSecurityHeaders)
    out += fmt::format("{}add_header {} {} always;\n", indent, name, value);
  return out;
}

// The app sends the same headers for responses that bypass Nginx; here Nginx's own are the
// ones the client gets, once.
std::string HiddenAppHeaderLines(const std::string& indent) {
  std::string out;
  for (const auto& header : kSiteSecurityHeaders)
    out += fmt::format("{}proxy_hide_header {};\n", indent, header[0]);
  return out;
}

// The LBs pass the client in X-Forwarded-For (HAProxy `option forwardfor` appends the address
// it saw, so the last entry is the one to trust).
std::string RealIpLines(const RenderContext& ctx) {
  std::string out;
  for (const Host* lb : ctx.topology.HostsRunning("haproxy"))
    if (auto address = lb->AddressOn("private"))
      out += fmt::format("    set_real_ip_from {};\n", *address);
  if (out.empty()) return out;
  return out + "    real_ip_header X-Forwarded-For;\n";
}

// error_page directives and their internal locations. URIs, not named locations: a request
// refused while its request line is read has no URI, and a redirect to a named location then
// fails with a 500 ("empty URI in redirect to named location").
std::string ErrorPages(const RenderContext& ctx) {
  std::string pages;
  std::string locations;
  for (const auto& [status, message] : kSiteErrors) {
    pages += fmt::format("        error_page {} /_errors/{};\n", status, status);
    locations += fmt::format(
        "        location = /_errors/{status} {{\n"
        "            internal;\n"
        "            default_type application/json;\n"
        "            add_header X-Served-By {host} always;\n"
        "            add_header Cache-Control no-store always;\n"
        "{headers}"
        "            return {status} '{{\"error\":\"{message}\"}}';\n"
        "        }}\n",
        fmt::arg("status", status), fmt::arg("host", ctx.host.name),
        fmt::arg("headers", SecurityHeaderLines("            ")), fmt::arg("message", message));
  }
  // 494: Nginx's own code for a header line over large_client_header_buffers, sent as 400.
  pages += "        error_page 494 =400 /_errors/400;\n";
  return pages + "\n" + locations;
}

// Plain HTTP from the balancers, or with [security] end_to_end_tls, TLS only (a lab-CA
// certificate naming this host, which HAProxy verifies).
std::string NginxListen(const RenderContext& ctx, const std::string& address) {
  if (!ctx.topology.security.end_to_end_tls)
    return fmt::format("        listen {}:{} default_server;\n", address, kHttpPort);
  return fmt::format(
      "        # [security] end_to_end_tls: HAProxy reaches this server over TLS only.\n"
      "        listen {}:{} ssl default_server;\n"
      "        ssl_certificate {};\n"
      "        ssl_certificate_key {};\n"
      "        ssl_protocols TLSv1.2 TLSv1.3;\n"
      "        ssl_session_cache shared:ssl:1m;\n",
      address, kHttpsPort, ConfigPath(HostCertPath(ctx.secrets, ctx.host.name)),
      ConfigPath(HostKeyPath(ctx.secrets, ctx.host.name)));
}

}  // namespace

std::filesystem::path NginxConfigPath(const HostPaths& paths) {
  return paths.Etc() / "nginx" / "nginx.conf";
}

std::string RenderNginxConfig(const RenderContext& ctx) {
  const std::string& private_address = RequireAddress(ctx.host, "private", "nginx");
  const std::string run = ConfigPath(ctx.paths.Run());
  const std::string log = ConfigPath(ctx.paths.Log());

  return fmt::format(
      R"({header}
# The lab supervises nginx in the foreground.
daemon off;
user www-data;
# One worker: every lab host shares this machine's 2 cores, and a single event-driven worker
# already serves more than the lab's load generator can send.
worker_processes 1;
pid {run}/nginx.pid;
error_log {log}/nginx-error.log warn;
# The WAF (ModSecurity v3 + OWASP CRS), switched on only where requests reach the app.
load_module {modsecurity_module};

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;

    # The WAF's rules are parsed once here; `modsecurity on` below picks the locations.
    modsecurity off;
    modsecurity_rules_file {modsecurity_conf};

    # The client's own address, for the WAF and the logs, from the load balancers only.
{real_ip}
    # Every temporary file stays in this host's own tree.
    client_body_temp_path {run}/nginx/client_body;
    proxy_temp_path {run}/nginx/proxy;
    fastcgi_temp_path {run}/nginx/fastcgi;
    uwsgi_temp_path {run}/nginx/uwsgi;
    scgi_temp_path {run}/nginx/scgi;

    # 0 only for a bodiless GET or HEAD with no query string: see the health/message location.
    map "$request_method:$args:$content_length:$http_transfer_encoding" $waf_needed {{
        "GET:::" 0;
        "HEAD:::" 0;
        default 1;
    }}

    log_format json escape=json {access_log_format};
    access_log {log}/nginx-access.log json;

    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    # Idle connections from HAProxy stay open longer than HAProxy keeps them idle, so it is
    # HAProxy that closes them (no race on a connection we are closing).
    keepalive_timeout 60s;
    keepalive_requests 10000;

    upstream app {{
        # foobar-app on this host; it listens on loopback only.
        server 127.0.0.1:{app_port};
        # Idle connections kept open to the app (per worker), closed by us before the app's own
        # 60 s idle timeout would close them under a request on its way.
        keepalive 32;
        keepalive_timeout 50s;
    }}

    server {{
        # The private network only: clients reach this server through HAProxy.
{listen}        server_name {site};
        root {www};

        # For every proxy_pass below: HTTP/1.1 with keep-alive to the app, and the request id.
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Request-ID $http_x_request_id;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        # HAProxy retries on another app server; retrying here too would multiply attempts.
        proxy_next_upstream off;
        proxy_connect_timeout 1s;
        proxy_send_timeout 10s;
        # Below HAProxy's 10s server timeout, so a hung app gives a logged 504 here (which
        # HAProxy retries elsewhere) rather than a connection HAProxy gives up on.
        proxy_read_timeout 9s;
{hidden_app_headers}
{security_headers}
{error_pages}

        location = / {{
            try_files /index.html =404;
        }}

        location /static/ {{
            try_files $uri =404;
            # File names are not content-hashed: short caching, so a deploy shows quickly.
            expires 10m;
        }}

        location /api/ {{
            # The app enforces the API's 16 KiB body limit itself, with a JSON 413; this is a
            # backstop against bodies far larger than that, answered in the same JSON form.
            client_max_body_size 64k;
            # The WAF reads the whole body before the app gets it: keep it in memory.
            client_body_buffer_size 64k;
            modsecurity on;
            proxy_pass http://app;
        }}

        # Requests the WAF has nothing to inspect in: a health check or one message by number
        # (digits only, after Nginx decoded the path), asked with GET or HEAD, no query string
        # and no body. The app reads nothing else from them, and the CRS costs ~0.6 ms of CPU
        # per request, 30 times the app's own work (measured from lb-01 with wrk: /healthz
        # 1.3k req/s with the WAF, 14k without). Anything else on these paths goes through the
        # WAF like the rest of /api/, by an internal rewrite to /_waf/ (not error_page: the
        # ModSecurity connector lets a request through unblocked after an error_page jump).
        location ~ "^/(healthz|readyz|api/messages/[0-9]{{1,19}})$" {{
            if ($waf_needed) {{
                rewrite ^ /_waf$uri last;
            }}
            proxy_pass http://app;
        }}

        location ^~ /_waf/ {{
            internal;
            # The app gets the path the client sent; the WAF sees it too (it reads the
            # request line, not the rewritten URI).
            rewrite ^/_waf(/.*)$ $1 break;
            client_max_body_size 64k;
            client_body_buffer_size 64k;
            modsecurity on;
            proxy_pass http://app;
        }}

        location / {{
            return 404;
        }}
    }}
{stub_status}}}
)",
      fmt::arg("header", RenderedHeader(ctx, "Nginx, app server of " + ctx.topology.site.name)),
      fmt::arg("run", run), fmt::arg("log", log), fmt::arg("access_log_format", kAccessLogFormat),
      fmt::arg("app_port", kAppPort), fmt::arg("private_address", private_address),
      fmt::arg("listen", NginxListen(ctx, private_address)), fmt::arg("site", ctx.topology.site.name), fmt::arg("host", ctx.host.name),
      fmt::arg("www", ConfigPath(ctx.paths.Www())),
      fmt::arg("stub_status", NginxStubStatusServer(ctx)), fmt::arg("modsecurity_module", kModsecurityModule),
      fmt::arg("modsecurity_conf", ConfigPath(ModsecurityConfigPath(ctx.paths))), fmt::arg("real_ip", RealIpLines(ctx)),
      fmt::arg("hidden_app_headers", HiddenAppHeaderLines("        ")),
      fmt::arg("security_headers", SecurityHeaderLines("        ")), fmt::arg("error_pages", ErrorPages(ctx)));
}

}  // namespace foobar::ctl
