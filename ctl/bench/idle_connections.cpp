#include "ctl/bench/idle_connections.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <string_view>
#include <thread>
#include <vector>

namespace foobar::ctl::bench {
namespace {

// A blocking connect + one request + its whole response header; false on any failure.
// Bodies of the answers we ask for are tiny, so reading until the header ends and the
// socket has nothing more within a moment is enough.
bool OpenOne(const sockaddr_in& address, const std::string& request, int& fd_out) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return false;
  }
  std::string answer;
  char buffer[4096];
  while (answer.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    answer.append(buffer, static_cast<size_t>(n));
  }
  if (answer.rfind("HTTP/1.1 2", 0) != 0) {
    ::close(fd);
    return false;
  }
  fd_out = fd;
  return true;
}

// Whether the server has closed the connection (readable with nothing, or an error).
bool ClosedByPeer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char c;
  const ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
  return n <= 0;
}

}  // namespace

IdleResult HoldIdleConnections(const IdlePlan& plan, const std::function<void(const IdleResult&)>& on_ready,
                               const std::atomic<bool>& stop) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(plan.port));
  ::inet_pton(AF_INET, plan.address.c_str(), &address.sin_addr);
  const std::string request = "GET " + plan.target + " HTTP/1.1\r\nHost: " + plan.host_header +
                              "\r\nUser-Agent: foobar-idle\r\nConnection: keep-alive\r\n\r\n";
  IdleResult result;
  std::vector<int> fds;
  for (int i = 0; i < plan.connections && !stop; ++i) {
    int fd = -1;
    if (OpenOne(address, request, fd)) {
      fds.push_back(fd);
      ++result.opened;
    } else {
      ++result.failed;
    }
  }
  on_ready(result);
  const auto until = std::chrono::steady_clock::now() + plan.hold;
  while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int fd : fds) {
    if (!ClosedByPeer(fd)) ++result.still_open;
    ::close(fd);
  }
  return result;
}

}  // namespace foobar::ctl::bench
