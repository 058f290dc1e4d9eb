// `foobar forward [--port P] [--from HOST] [--to ADDRESS:PORT]`: lets a person's browser on this
// machine reach the lab. It listens on 127.0.0.1:P in the root namespace, then moves itself into
// the lab host (client by default): every connection starts inside the lab, as the lab safety
// rules demand, and the root namespace never sends a packet to a lab address. It goes to the
// site (port 443 of its addresses: the bytes are relayed as they are, so the browser speaks TLS to
// HAProxy and sees the lab certificate, which names 127.0.0.1 and localhost too; trust
// STATE/secrets/tls/ca.crt in the browser), or with --to to one address as seen from that host, e.g. the
// dashboard: `--from mon-01 --to 127.0.0.1:9090`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {
namespace {

int ConnectToSite(const std::vector<std::string>& addresses, int port) {
  for (const auto& address : addresses) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    ::close(fd);
  }
  return -1;
}

// Copies bytes both ways until either side closes.
void Relay(int browser, std::vector<std::string> addresses, int port) {
  int site = ConnectToSite(addresses, port);
  if (site < 0) {
    static const char kBadGateway[] =
        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 28\r\nConnection: close\r\n\r\nthe lab's site is not up.\r\n";
    (void)!::write(browser, kBadGateway, sizeof kBadGateway - 1);
    ::close(browser);
    return;
  }
  std::array<pollfd, 2> fds{{{browser, POLLIN, 0}, {site, POLLIN, 0}}};
  std::array<char, 65536> buffer{};
  for (bool open = true; open;) {
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    for (size_t i = 0; i < 2 && open; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        open = false;
        break;
      }
      int to = fds[1 - i].fd;
      for (ssize_t sent = 0; sent < n;) {
        ssize_t w = ::write(to, buffer.data() + sent, static_cast<size_t>(n - sent));
        if (w <= 0) {
          open = false;
          break;
        }
        sent += w;
      }
    }
  }
  ::close(browser);
  ::close(site);
}

}  // namespace

int ForwardCommand(int port, const std::string& from_host, const std::string& to) {
  LabContext lab = RequireRecordedLab();
  lab.HostNamed(from_host);
  std::vector<std::string> addresses = lab.topology.site.addresses;
  int to_port = kHttpsPort;
  std::string destination = "https://" + lab.topology.site.name + "/";
  std::string scheme = "https";
  if (!to.empty()) {
    const auto colon = to.rfind(':');
    in_addr parsed{};
    if (colon == std::string::npos || ::inet_pton(AF_INET, to.substr(0, colon).c_str(), &parsed) != 1)
      throw LabError("--to wants ADDRESS:PORT with an IPv4 address, e.g. 127.0.0.1:9090");
    to_port = std::atoi(to.c_str() + colon + 1);
    if (to_port < 1 || to_port > 65535) throw LabError("--to '" + to + "': the port must be 1-65535");
    addresses = {to.substr(0, colon)};
    destination = to;
    scheme = "http";
  }
  ::signal(SIGPIPE, SIG_IGN);
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 128) != 0)
    throw LabError("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno) +
                   " (pick another with --port)");
  // The listening socket stays in the root namespace; everything created from now on is
  // in the lab host's namespace.
  EnterNamespace(from_host);
  std::printf("Forwarding %s://127.0.0.1:%d/ -> %s (from lab host %s). Ctrl-C stops it.\n", scheme.c_str(), port,
              destination.c_str(), from_host.c_str());
  std::fflush(stdout);
  for (;;) {
    int browser = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (browser < 0) {
      if (errno == EINTR) continue;
      throw LabError(std::string("accept failed: ") + std::strerror(errno));
    }
    std::thread(Relay, browser, addresses, to_port).detach();
  }
}

}  // namespace foobar::ctl
