#include "ctl/render/monitoring_endpoints.h"

#include <fmt/format.h>

#include <iterator>

#include "ctl/render/monitoring.h"
#include "ctl/render/render_common.h"

namespace foobar::ctl {

std::string HaproxyMetricsFrontend(const RenderContext& ctx) {
  if (!IsMonitored(ctx.topology)) return "";
  return fmt::format(R"(
# Prometheus reads HAProxy's own exporter here: on the private network, never on the public side.
frontend {name}
    bind {address}:{port}
    mode http
    no log
    http-request use-service prometheus-exporter if {{ path /metrics }}
    http-request return status 404
)",
                     fmt::arg("name", kHaproxyMetricsFrontend),
                     fmt::arg("address", RequireAddress(ctx.host, "private", "haproxy")),
                     fmt::arg("port", kHaproxyMetricsPort));
}

std::string NginxStubStatusServer(const RenderContext& ctx) {
  if (!IsMonitored(ctx.topology)) return "";
  return fmt::format(R"(
    # Connection and request counters for the nginx exporter on this host (loopback only).
    server {{
        listen 127.0.0.1:{port};
        access_log off;
        location = /stub_status {{
            stub_status;
        }}
        location / {{
            return 404;
        }}
    }}
)",
                     fmt::arg("port", kNginxStubStatusPort));
}

std::filesystem::path TextfileCollectorPath(const HostPaths& paths) { return paths.Run() / "node_exporter" / "textfile"; }

std::filesystem::path VrrpNotifyScriptPath(const HostPaths& paths) {
  return paths.Etc() / "node_exporter" / "vrrp-notify.sh";
}

std::string RenderVrrpNotifyScript(const RenderContext& ctx) {
  fmt::memory_buffer cases;
  for (const Vip& vip : ctx.topology.vips)
    fmt::format_to(std::back_inserter(cases), "  {}) vip={} ;;\n", vip.name, vip.address);
  return fmt::format(R"(#!/bin/sh
{header}# keepalived runs this on every VRRP state change: $1 INSTANCE, $2 instance name, $3 new state
# (MASTER, BACKUP, FAULT or STOP), $4 priority. It writes the state for node_exporter's textfile
# collector; a file is replaced whole (rename), so a scrape never reads half of it.
set -eu
# keepalived runs scripts with umask 077; node_exporter (user prometheus) must read the file.
umask 022
dir={dir}
case "$2" in
{cases}  *) exit 0 ;;
esac
mkdir -p "$dir"
tmp="$dir/.vrrp_$2.$$"
{{
  echo "# HELP foobar_vrrp_state VRRP state of this load balancer for a VIP (1: the current one), from keepalived."
  echo "# TYPE foobar_vrrp_state gauge"
  for state in MASTER BACKUP FAULT STOP; do
    value=0
    [ "$state" = "$3" ] && value=1
    echo "foobar_vrrp_state{{vrrp_instance=\"$2\",vip=\"$vip\",state=\"$state\"}} $value"
  done
}} > "$tmp"
mv -f "$tmp" "$dir/vrrp_$2.prom"
)",
                     fmt::arg("header", RenderedHeader(ctx, "keepalived notify script (VRRP state for Prometheus)")),
                     fmt::arg("dir", ConfigPath(TextfileCollectorPath(ctx.paths))),
                     fmt::arg("cases", fmt::to_string(cases)));
}

std::string KeepalivedNotifyDirective(const RenderContext& ctx) {
  if (!IsMonitored(ctx.topology)) return "";
  return fmt::format("    # The VRRP state for Prometheus (node_exporter's textfile collector).\n    notify {}\n",
                     ConfigPath(VrrpNotifyScriptPath(ctx.paths)));
}

}  // namespace foobar::ctl
