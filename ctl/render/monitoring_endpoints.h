// What the monitored daemons add to their own configs so that Prometheus can read them: HAProxy's
// built-in exporter, Nginx's stub_status, and keepalived's VRRP state for node_exporter's textfile
// collector (keepalived has no exporter: a notify script writes which VIPs this host holds).
// Each piece is empty when the topology has no Prometheus, so unmonitored configs stay as they were.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// A `frontend metrics` section for haproxy.cfg: the exporter on the host's private address.
std::string HaproxyMetricsFrontend(const RenderContext& ctx);

// A `server { ... }` block for nginx.conf's http block: stub_status on loopback only.
std::string NginxStubStatusServer(const RenderContext& ctx);

// Run()/node_exporter/textfile: *.prom files node_exporter serves with the host's metrics.
std::filesystem::path TextfileCollectorPath(const HostPaths& paths);

// Etc()/node_exporter/vrrp-notify.sh: keepalived's notify script (written with node_exporter's
// files, before keepalived starts).
std::filesystem::path VrrpNotifyScriptPath(const HostPaths& paths);

// The script: called by keepalived as `SCRIPT INSTANCE NAME STATE PRIORITY` on every state change
// of a VRRP instance, it writes foobar_vrrp_state{vrrp_instance, vip, state} (1 for the current state)
// to the textfile collector, atomically.
std::string RenderVrrpNotifyScript(const RenderContext& ctx);

// The line each vrrp_instance of keepalived.conf needs to call it ("" when unmonitored):
//     notify PATH
std::string KeepalivedNotifyDirective(const RenderContext& ctx);

}  // namespace foobar::ctl
