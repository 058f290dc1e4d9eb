#include "ctl/lab/interface_addresses.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"

namespace foobar::ctl {
namespace {

// Closes the socket on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void SendAddressDump(int fd) {
  struct {
    nlmsghdr header;
    ifaddrmsg body;
  } request{};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = RTM_GETADDR;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = 1;
  request.body.ifa_family = AF_INET;
  if (::send(fd, &request, sizeof request, 0) < 0)
    throw LabError(std::string("netlink send: ") + std::strerror(errno));
}

// The address of one RTM_NEWADDR message if it is on `interface`, else "".
std::string AddressIfOn(const nlmsghdr* message, const std::string& interface) {
  const auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(message));
  int length = static_cast<int>(IFA_PAYLOAD(message));
  std::string label, address;
  for (const rtattr* attr = IFA_RTA(ifa); RTA_OK(attr, length); attr = RTA_NEXT(attr, length)) {
    if (attr->rta_type == IFA_LABEL) {
      label = static_cast<const char*>(RTA_DATA(attr));
    } else if (attr->rta_type == IFA_LOCAL) {
      std::array<char, INET_ADDRSTRLEN> text{};
      if (::inet_ntop(AF_INET, RTA_DATA(attr), text.data(), text.size())) address = text.data();
    }
  }
  return label == interface ? address : "";
}

}  // namespace

std::vector<std::string> Ipv4AddressesOn(const std::string& host, const std::string& interface) {
  Fd fd(OpenSocketIn(host, AF_NETLINK, SOCK_RAW));  // protocol 0 is NETLINK_ROUTE
  // The kernel answers a dump at once; the timeout only bounds a wait that cannot happen.
  timeval timeout{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SendAddressDump(fd.get());

  std::vector<std::string> addresses;
  alignas(nlmsghdr) std::array<char, 16384> buffer{};
  while (true) {
    const ssize_t received = ::recv(fd.get(), buffer.data(), buffer.size(), 0);
    if (received < 0) throw LabError(std::string("netlink receive: ") + std::strerror(errno));
    int length = static_cast<int>(received);
    for (auto* message = reinterpret_cast<const nlmsghdr*>(buffer.data()); NLMSG_OK(message, length);
         message = NLMSG_NEXT(message, length)) {
      if (message->nlmsg_type == NLMSG_DONE) return addresses;
      if (message->nlmsg_type == NLMSG_ERROR) throw LabError("netlink: address dump refused");
      if (message->nlmsg_type != RTM_NEWADDR) continue;
      std::string address = AddressIfOn(message, interface);
      if (!address.empty()) addresses.push_back(std::move(address));
    }
  }
}

}  // namespace foobar::ctl
