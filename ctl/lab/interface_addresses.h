// The IPv4 addresses a lab host has on one of its interfaces right now, e.g. which virtual IPs
// a load balancer holds. Read over rtnetlink from inside the host's namespace: no `ip` process
// (about 10 ms each), because status and the keepalived readiness probe ask often.
#pragma once

#include <string>
#include <vector>

namespace foobar::ctl {

// Addresses on `interface` of lab host `host`, in the kernel's order (primary first). Throws
// LabError if the host's namespace does not exist or the kernel does not answer.
std::vector<std::string> Ipv4AddressesOn(const std::string& host, const std::string& interface);

}  // namespace foobar::ctl
