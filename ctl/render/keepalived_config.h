// keepalived on a load balancer: VRRP (version 3, sub-second adverts) moves each virtual IP of
// the topology to the other load balancer when its master's HAProxy or the whole host is gone.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// VRRP timing, shared with the lab's checks. An advert every 100 ms: a backup declares the
// master dead after 3 missed adverts plus its skew, (3 + (256 - 100) / 256) × 100 ms ≈ 360 ms.
inline constexpr std::chrono::milliseconds kVrrpAdvertInterval{100};
inline constexpr int kVrrpMasterPriority = 150;
inline constexpr int kVrrpBackupPriority = 100;
// How long a master that can serve again waits before taking its VIP back from the other.
inline constexpr std::chrono::milliseconds kVrrpPreemptDelay{2000};
// Subtracted while this host's HAProxy has no app server up: below the other's backup priority.
inline constexpr int kVrrpNotServingPenalty = 60;
static_assert(kVrrpMasterPriority - kVrrpNotServingPenalty < kVrrpBackupPriority);

// Etc()/keepalived/keepalived.conf; run as `keepalived --namespace NS --vrrp --dont-fork
// -f CONF -p Run()/keepalived.pid -r Run()/keepalived-vrrp.pid` (see kinds/keepalived_kind.cpp).
std::filesystem::path KeepalivedConfigPath(const HostPaths& paths);
// Run()/keepalived-vrrp.pid: written by the VRRP child once it runs.
std::filesystem::path KeepalivedVrrpPidPath(const HostPaths& paths);

// keepalived.conf for ctx.host: one vrrp_instance per VIP of the topology, master priority on
// the VIP's master, backup priority elsewhere; unicast adverts to every other keepalived host;
// the instance fails (and its VIP moves) while this host's own HAProxy is not running, and its
// priority drops below the peer's while that HAProxy has no app server up.
// Throws std::invalid_argument if the host has no public address or the topology no VIPs.
std::string RenderKeepalivedConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
