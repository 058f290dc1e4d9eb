#include "ctl/lab/netns_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {

void EnterNamespace(const std::string& ns) {
  int fd = ::open(("/run/netns/" + NamespaceName(ns)).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw LabError("no lab host '" + ns + "' (is the lab up?)");
  int rc = ::setns(fd, CLONE_NEWNET);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw LabError("cannot enter namespace " + ns + ": " + std::strerror(err));
}

int OpenSocketIn(const std::string& ns, int domain, int type) {
  int result = -1;
  std::string error;
  // setns() changes only the calling thread's namespace: do it in a throwaway thread.
  std::thread worker([&] {
    try {
      EnterNamespace(ns);
      result = ::socket(domain, type | SOCK_CLOEXEC, 0);
      if (result < 0) error = std::string("socket: ") + std::strerror(errno);
    } catch (const LabError& e) {
      error = e.what();
    }
  });
  worker.join();
  if (result < 0) throw LabError(error);
  return result;
}

bool TcpConnectsIn(const std::string& ns, const std::string& ip, int port,
                   std::chrono::milliseconds timeout) {
  int fd = OpenSocketIn(ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return false;
  }
  bool ok = false;
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc == 0) {
    ok = true;
  } else if (errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      ok = err == 0;
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace foobar::ctl
