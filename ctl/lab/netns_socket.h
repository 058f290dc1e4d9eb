// Sockets that live in a lab host's network namespace, opened from this process.
// `ns` is a lab host's name (see NamespaceName in network.h).
// A thread enters the namespace just long enough to create the socket; the socket stays
// in that namespace for its whole life, so the root namespace never sends a lab packet.
#pragma once

#include <chrono>
#include <string>

namespace foobar::ctl {

// A socket(domain, type) created inside namespace `ns`; throws LabError on failure.
int OpenSocketIn(const std::string& ns, int domain, int type);

// Whether a TCP connection to ip:port from inside `ns` succeeds within `timeout`.
bool TcpConnectsIn(const std::string& ns, const std::string& ip, int port,
                   std::chrono::milliseconds timeout);

// Enters namespace `ns` for the rest of this (single-threaded) process.
void EnterNamespace(const std::string& ns);

}  // namespace foobar::ctl
