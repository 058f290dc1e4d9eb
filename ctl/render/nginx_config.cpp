#include "ctl/render/nginx_config.h"

#include <fmt/format.h>

#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/render_common.h"

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

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;

    # Every temporary file stays in this host's own tree.
    client_body_temp_path {run}/nginx/client_body;
    proxy_temp_path {run}/nginx/proxy;
    fastcgi_temp_path {run}/nginx/fastcgi;
    uwsgi_temp_path {run}/nginx/uwsgi;
    scgi_temp_path {run}/nginx/scgi;

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
        listen {private_address}:{http_port} default_server;
        server_name {site};
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
            error_page 413 = @body_too_large;
            proxy_pass http://app;
        }}

        location @body_too_large {{
            default_type application/json;
            add_header X-Served-By {host} always;
            add_header Cache-Control no-store always;
            return 413 '{{"error":"request body too large"}}';
        }}

        location = /healthz {{
            proxy_pass http://app;
        }}

        location = /readyz {{
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
      fmt::arg("http_port", kHttpPort), fmt::arg("site", ctx.topology.site.name), fmt::arg("host", ctx.host.name),
      fmt::arg("www", ConfigPath(ctx.paths.Www())),
      fmt::arg("stub_status", NginxStubStatusServer(ctx)));
}

}  // namespace foobar::ctl
