#include "ctl/render/keepalived_config.h"

#include <fmt/format.h>

#include <iterator>
#include <stdexcept>

#include "ctl/render/haproxy_config.h"
#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// keepalived reads '#' and '!' as the start of a comment anywhere on a line.
std::string KeepalivedWord(const std::string& text) {
  if (text.find('!') != std::string::npos)
    throw std::invalid_argument(fmt::format("'{}' cannot be written into keepalived.conf", text));
  return ConfigPath(text);
}

// "0.1" for 100 ms: keepalived takes seconds with decimals.
std::string Seconds(std::chrono::milliseconds interval) {
  return fmt::format("{}", static_cast<double>(interval.count()) / 1000.0);
}

std::string RenderInstance(const RenderContext& ctx, const Vip& vip,
                           const std::string& public_address, const std::string& peers) {
  const bool master = vip.master == ctx.host.name;
  // The public link is watched anyway (the instance's own interface). A balancer that lost
  // its private link reaches no app server: it gives its VIPs up too.
  std::string track_interface;
  if (ctx.host.AddressOn("private"))
    track_interface =
        "    track_interface {\n"
        "        # Down link (no carrier): FAULT, as without HAProxy.\n"
        "        private weight 0\n"
        "    }\n";
  return fmt::format(
      R"(
# {address}: {role} here (the master is {master}).
vrrp_instance {name} {{
    interface public
    # Every load balancer starts as backup and priorities decide. Preemption is on: the
    # master takes its VIP back once it can serve again, so the pair returns to one VIP each
    # by itself after a fault; but only 2 s after it sees the other holding it (at start-up
    # or after a fault), so that its HAProxy's health checks (2 s to mark a server up or
    # down) and lb_serving have caught up: without that, a balancer whose network came back
    # took its VIP while all its app servers were still marked down (1 s lost).
    state BACKUP
{notify}    preempt_delay {preempt_delay}
    virtual_router_id {vrid}
    priority {priority}
    advert_int {advert}
    # Unicast adverts between the load balancers' own public addresses (nothing else on the
    # network needs to see them, and a firewall can allow exactly these).
    unicast_src_ip {public_address}
    unicast_peer {{
{peers}    }}
    virtual_ipaddress {{
        {address}/32 dev public
    }}
    track_process {{
        # weight 0: without a running HAProxy here the instance goes to FAULT, releases the
        # VIP and sends priority 0, so the peer takes over at once instead of waiting for
        # three missed adverts.
        haproxy weight 0
    }}
    track_script {{
        lb_serving
    }}
{track_interface}}}
)",
      fmt::arg("address", vip.address), fmt::arg("role", master ? "master" : "backup"),
      fmt::arg("master", vip.master), fmt::arg("name", vip.name), fmt::arg("vrid", vip.vrid),
      fmt::arg("priority", master ? kVrrpMasterPriority : kVrrpBackupPriority),
      fmt::arg("advert", Seconds(kVrrpAdvertInterval)),
      fmt::arg("public_address", public_address), fmt::arg("peers", peers),
      fmt::arg("track_interface", track_interface),
      fmt::arg("preempt_delay", Seconds(kVrrpPreemptDelay)),
      // The VIP's state for Prometheus (node_exporter's textfile collector); "" unmonitored.
      fmt::arg("notify", KeepalivedNotifyDirective(ctx)));
}

}  // namespace

std::filesystem::path KeepalivedConfigPath(const HostPaths& paths) {
  return paths.Etc() / "keepalived" / "keepalived.conf";
}

std::filesystem::path KeepalivedVrrpPidPath(const HostPaths& paths) {
  return paths.Run() / "keepalived-vrrp.pid";
}

std::string RenderKeepalivedConfig(const RenderContext& ctx) {
  const std::string& public_address = RequireAddress(ctx.host, "public", "keepalived");
  if (ctx.topology.vips.empty())
    throw std::invalid_argument(
        fmt::format("host '{}' runs keepalived but the topology has no VIPs", ctx.host.name));

  std::string peers;
  for (const Host* lb : ctx.topology.HostsRunning("keepalived"))
    if (lb->name != ctx.host.name)
      peers += fmt::format("        {}\n", RequireAddress(*lb, "public", "keepalived"));

  // HAProxy's command line as the lab runs it; it names this host's own config file.
  std::string haproxy_command;
  for (const auto& arg : HaproxyArgv(ctx.paths))
    haproxy_command += (haproxy_command.empty() ? "" : " ") + KeepalivedWord(arg);

  fmt::memory_buffer instances;
  for (const Vip& vip : ctx.topology.vips)
    fmt::format_to(std::back_inserter(instances), "{}",
                   RenderInstance(ctx, vip, public_address, peers));

  return fmt::format(
      R"({header}
global_defs {{
    router_id {host}
    # VRRP version 3 (RFC 5798) counts the advert interval in centiseconds; version 2 rounds
    # it to whole seconds, which makes a failover take about 3 s.
    vrrp_version 3
    # Adverts count only from the unicast peers listed in each instance.
    vrrp_check_unicast_src
    # On becoming master: gratuitous ARPs at once, so the neighbours' ARP caches point at
    # this host before their next packet; again 1 s later (Linux ignores an ARP update less
    # than 1 s after the previous one, and a packet may be lost); again every 10 s while
    # master, and when a lower-priority master shows up (a healed partition).
    vrrp_garp_master_repeat 5
    vrrp_garp_master_delay 1
    vrrp_garp_master_refresh 10
    vrrp_garp_lower_prio_repeat 2
    # Scripts run as root unless they say otherwise (lb_serving below needs no privilege and
    # runs as nobody), and keepalived refuses any that a user other than root could change.
    enable_script_security
    script_user root
    # Realtime priority (the lowest) for the VRRP process: on a busy machine a late advert
    # would make the backup take over, three missed adverts are only 300 ms. It needs little
    # CPU, and RLIMIT_RTTIME (10 ms by default) stops it should it ever spin.
    vrrp_rt_priority 1
}}

# This host's own HAProxy, matched by its full command line. Every lab host shares one PID
# namespace, so a match on the name "haproxy" alone would count the other balancer's too.
# keepalived hears of each process start and exit from the kernel at once (no polling).
vrrp_track_process haproxy {{
    process {haproxy_command}
    # The arguments above must match exactly; more may follow (a reload adds -sf/-x).
    param_match partial
    quorum 1
    # A HAProxy just started gets 0.5 s to bind its listeners before the VIP comes back.
    fork_delay 0.5
    # No terminate_delay: the VIP leaves the moment the last HAProxy process exits.
}}

# A running HAProxy with no app server up cannot serve either: then this balancer's priority
# drops below the other's ({master} - {penalty} < {backup}), which holds the VIPs instead while it
# can serve. It also keeps a balancer whose health checks have not caught up yet (after its
# network came back) from taking its VIP back too early.
vrrp_script lb_serving {{
    script "/usr/bin/curl -sf -o /dev/null --max-time 0.5 http://127.0.0.1:{lb_health_port}{lb_health_uri}"
    interval 1
    timeout 1
    fall 1
    rise 1
    weight -{penalty}
    user nobody nogroup
}}
{instances})",
      fmt::arg("header", RenderedHeader(ctx, "keepalived, the VRRP holder of the virtual IPs of " +
                                                 ctx.topology.site.name)),
      fmt::arg("host", ctx.host.name), fmt::arg("haproxy_command", haproxy_command),
      fmt::arg("master", kVrrpMasterPriority), fmt::arg("backup", kVrrpBackupPriority),
      fmt::arg("penalty", kVrrpNotServingPenalty), fmt::arg("lb_health_port", kLbHealthPort),
      fmt::arg("lb_health_uri", kLbHealthUri),
      fmt::arg("instances", fmt::to_string(instances)));
}

}  // namespace foobar::ctl
