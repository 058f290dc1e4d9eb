// keepalived on a load balancer: VRRP for the topology's virtual IPs.
//
// It tracks this host's HAProxy with vrrp_track_process, which hears of process starts and
// exits through the kernel's proc connector. That connector answers only sockets of the
// machine's initial network namespace ("Failed to set/clear process event listen - errno 111"
// inside a lab host), so keepalived is started there and moves itself into the host's
// namespace with --namespace: it opens the connector socket first, then enters the namespace
// before it reads an interface or sends a packet. Every VRRP packet and every address change
// happens inside the lab host; the root namespace only keeps a listening netlink socket.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <string_view>

#include "ctl/lab/interface_addresses.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/lab/network.h"
#include "ctl/lab/process.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/keepalived_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// Whether keepalived's VRRP child (its pid file written by keepalived itself) is running in
// the host's namespace.
bool VrrpChildRunning(const LabContext& lab, const Host& host) {
  std::ifstream in(KeepalivedVrrpPidPath(lab.state.Host(host.name)));
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return false;
  const auto p = static_cast<pid_t>(pid);
  return IsAlive(p) && ProcessInNamespace(p, host.name);
}

// What keepalived's lb_serving script asks: does this host's HAProxy have an app server up?
// (GET on its loopback health frontend, from a socket inside the host's namespace.)
bool HaproxyCanServe(const Host& host) {
  const int fd = OpenSocketIn(host.name, AF_INET, SOCK_STREAM);
  timeval timeout{0, 300'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(kLbHealthPort));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string request = std::string("GET ") + kLbHealthUri + " HTTP/1.0\r\n\r\n";
  std::array<char, 64> reply{};
  ssize_t received = -1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()))
    received = ::recv(fd, reply.data(), reply.size() - 1, 0);
  ::close(fd);
  // "HTTP/1.x 200 ...": HAProxy answers an HTTP/1.0 request in HTTP/1.1.
  const std::string_view status(reply.data());
  return received > 0 && status.starts_with("HTTP/1.") && status.substr(8, 5) == " 200 ";
}

// Ready: the VRRP child runs and holds every VIP this host is the master of (the first
// balancer started takes every VIP within 0.4 s, the next one takes its own back after
// preempt_delay, about 2.4 s), unless its HAProxy cannot serve: then keepalived
// leaves them to the other balancer by design, and is doing its job all the same.
bool KeepalivedAnswers(const LabContext& lab, const Host& host) {
  if (!VrrpChildRunning(lab, host)) return false;
  const auto held = Ipv4AddressesOn(host.name, "public");
  for (const Vip& vip : lab.topology.vips)
    if (vip.master == host.name && std::find(held.begin(), held.end(), vip.address) == held.end())
      return !HaproxyCanServe(host);
  return true;
}

}  // namespace

ServiceKind KeepalivedKind() {
  return {
      .name = "keepalived",
      .argv = [](const LabContext& lab, const Host& host, const fs::path& config) {
        const HostPaths paths = lab.state.Host(host.name);
        // The lab wraps every daemon in `ip netns exec HOST`; nsenter steps back into this
        // CLI's own (the initial) network namespace for keepalived's start-up, see above.
        // The pid files are the host's own: every lab host shares one filesystem, and the
        // default /run/keepalived.pid would make the second load balancer's keepalived
        // believe it is already running.
        return std::vector<std::string>{
            "nsenter", "--net=/proc/" + std::to_string(::getpid()) + "/ns/net", "--",
            "keepalived", "--namespace", NamespaceName(host.name),
            "--vrrp",          // VRRP only: no health checker or BFD child
            "--dont-fork",     // stay in the foreground under the lab's PID record
            "--log-console", "--log-detail", "--no-syslog",  // log to the host's log file only
            "--use-file", config.string(),
            "--pid", (paths.Run() / "keepalived.pid").string(),
            "--vrrp_pid", KeepalivedVrrpPidPath(paths).string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        // A pid file left by a killed keepalived would stop the next one from starting.
        const HostPaths paths = lab.state.Host(host.name);
        std::error_code ec;
        for (const fs::path& pid_file : {paths.Run() / "keepalived.pid", KeepalivedVrrpPidPath(paths)}) {
          std::ifstream in(pid_file);
          long pid = 0;
          if (in >> pid && pid > 1 && IsAlive(static_cast<pid_t>(pid)) &&
              ProcessInNamespace(static_cast<pid_t>(pid), host.name))
            continue;
          fs::remove(pid_file, ec);
        }
      },
      .answers = KeepalivedAnswers,
      .ready_timeout = 8s,
      .stop_grace = 5s,
  };
}

}  // namespace foobar::ctl
