// The lab's networks: one network namespace per host, and a "switch" namespace holding
// one bridge per lab network. Each host is plugged into a bridge by a veth pair whose
// host end is named after the network ("public", "private"). The root namespace gets no
// lab address and no lab route, only blackhole routes so a stray packet can never leave.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "ctl/topology.h"

namespace foobar::ctl {

inline constexpr const char* kSwitchNamespace = "foobar-switch";

// The network namespace of a lab host (or of the switch). Normally the host's own name, so
// `ip netns exec client ...` works by hand; $FOOBAR_NS_PREFIX is put in front when set, so
// that two developers' labs can share one machine. Every function below takes host names
// and applies this itself.
std::string NamespaceName(const std::string& host);

// Every namespace the lab of `topology` consists of, by host name: its hosts and the switch.
std::vector<std::string> LabNamespaces(const Topology& topology);

bool NamespaceExists(const std::string& name);

// Creates namespaces, bridges, links, addresses and per-host settings. Throws LabError.
void CreateLabNetwork(const Topology& topology);
// One host's part of the network (CreateLabNetwork for every host; `scale` for one more): the
// switch-side veth ports into `switch_lines` (run in the switch namespace), then inside the
// host's namespace its addresses, links and sysctls.
void AppendSwitchPorts(const Host& host, std::vector<std::string>& switch_lines);
void ConfigureHostInterfaces(const Topology& topology, const Host& host);

// /etc/netns/HOST/{hosts,resolv.conf}: what `ip netns exec HOST` shows as /etc/... .
void WriteHostResolverFiles(const Topology& topology);
void RemoveHostResolverFiles(const Topology& topology);

void AddBlackholeRoutes(const Topology& topology);
// Removes the blackhole routes for the topology's networks; missing ones are fine.
void RemoveBlackholeRoutes(const Topology& topology);
// The blackhole routes of the topology's networks that exist now.
std::vector<std::string> ExistingBlackholeRoutes(const Topology& topology);

// Deletes a namespace (no-op if it does not exist). Processes in it must be gone first.
void DeleteNamespace(const std::string& name);

// PIDs of every process whose network namespace is `name` (by inode, not by name).
std::vector<pid_t> PidsInNamespace(const std::string& name);
bool ProcessInNamespace(pid_t pid, const std::string& name);

// The interface name of a host's veth end inside the switch namespace ("app-01-pri").
std::string SwitchPortName(const std::string& host, const std::string& network);

}  // namespace foobar::ctl
