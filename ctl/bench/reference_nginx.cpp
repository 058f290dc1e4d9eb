#include "ctl/bench/reference_nginx.h"

#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/lab/process.h"

namespace foobar::ctl::bench {

namespace fs = std::filesystem;

std::string RenderReferenceNginxConfig(const ReferenceNginxSettings& s) {
  const std::string dir = s.dir.string();
  return fmt::format(
      R"(# foobar bench: the reference Nginx (the HTTP ceiling), not part of the site.
daemon off;
user www-data;
# As many workers as foobar-app has threads: the same CPU to spend.
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    # The ceiling: no access log (the stack's Nginx writes one, which is part of its cost).
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 60s;
    keepalive_requests 100000;

    server {{
        listen 127.0.0.1:{port} default_server;
        root {www};

        location = {fixed} {{
            default_type text/plain;
            return 200 "ok\n";
        }}

        # The same page the stack's Nginx serves at /.
        location = / {{
            try_files /index.html =404;
        }}
    }}
}}
)",
      fmt::arg("workers", s.workers), fmt::arg("dir", dir), fmt::arg("port", s.port),
      fmt::arg("www", s.www.string()), fmt::arg("fixed", kReferenceFixedPath));
}

ReferenceNginx::ReferenceNginx(const LabContext& lab, const std::string& host, int workers) : host_(host) {
  const HostPaths paths = lab.state.Host(host);
  dir_ = paths.Run() / "bench-nginx";
  fs::create_directories(dir_);
  ReferenceNginxSettings settings;
  settings.workers = workers;
  settings.www = paths.Www();
  settings.dir = dir_;
  {
    std::ofstream out(dir_ / "nginx.conf");
    out << RenderReferenceNginxConfig(settings);
    if (!out) throw LabError("cannot write " + (dir_ / "nginx.conf").string());
  }
  DaemonSpec spec;
  spec.host_namespace = host;
  spec.argv = {"nginx", "-c", (dir_ / "nginx.conf").string(), "-e", (dir_ / "error.log").string()};
  spec.log_file = dir_ / "nginx.log";
  spec.pid_file = dir_ / "foobar-nginx.pid";
  pid_ = StartDaemon(spec);
  for (int i = 0; i < 100; ++i) {
    if (TcpConnectsIn(host, "127.0.0.1", kReferenceNginxPort, std::chrono::milliseconds(200))) return;
    if (!IsAlive(pid_)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  TerminateProcesses({pid_}, std::chrono::seconds(2));
  throw LabError("the reference nginx on " + host + " did not start; see " + (dir_ / "error.log").string());
}

ReferenceNginx::~ReferenceNginx() {
  TerminateProcesses({pid_}, std::chrono::seconds(3));
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace foobar::ctl::bench
