#include "ctl/lab/network.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

const fs::path kNetnsRun = "/run/netns";
const fs::path kNetnsEtc = "/etc/netns";

bool InodeOf(const fs::path& path, ino_t& ino, dev_t& dev) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  ino = st.st_ino;
  dev = st.st_dev;
  return true;
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
}

}  // namespace

std::string NamespaceName(const std::string& host) {
  const char* prefix = std::getenv("FOOBAR_NS_PREFIX");
  return (prefix ? std::string(prefix) : std::string()) + host;
}

std::vector<std::string> LabNamespaces(const Topology& topology) {
  std::vector<std::string> names;
  for (const auto& h : topology.hosts) names.push_back(h.name);
  names.push_back(kSwitchNamespace);
  return names;
}

bool NamespaceExists(const std::string& name) { return fs::exists(kNetnsRun / NamespaceName(name)); }

std::string SwitchPortName(const std::string& host, const std::string& network) {
  return host + "-" + network.substr(0, 3);
}

void AppendSwitchPorts(const Host& host, std::vector<std::string>& switch_lines) {
  for (const auto& [net, addr] : host.addresses) {
    const std::string port = SwitchPortName(host.name, net);
    switch_lines.push_back("link add " + port + " type veth peer name " + net + " netns " + NamespaceName(host.name));
    switch_lines.push_back("link set " + port + " master br-" + net);
    switch_lines.push_back("link set " + port + " up");
  }
}

void ConfigureHostInterfaces(const Topology& topology, const Host& host) {
  std::vector<std::string> lines = {"link set lo up"};
  for (const auto& [net, addr] : host.addresses) {
    const Network* n = topology.FindNetwork(net);
    lines.push_back("addr add " + addr + "/" + std::to_string(n->prefix_length) + " dev " + net);
    lines.push_back("link set " + net + " up");
  }
  RunIpBatch({"-n", NamespaceName(host.name)}, lines);
  // IPv4 only: no IPv6 link-local chatter, and scans see exactly the addresses above.
  // ip_nonlocal_bind lets a load balancer bind a virtual IP it does not hold yet.
  auto r = RunCommand({"ip", "netns", "exec", NamespaceName(host.name), "sysctl", "-q", "-w",
                       "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
                       "net.ipv4.ip_nonlocal_bind=1", "net.ipv4.ping_group_range=0 2147483647"});
  if (!r.ok()) throw LabError("sysctl in " + host.name + " failed: " + r.FirstErrorLine());
}

void CreateLabNetwork(const Topology& topology) {
  std::vector<std::string> root_lines;
  for (const auto& ns : LabNamespaces(topology))
    if (!NamespaceExists(ns)) root_lines.push_back("netns add " + NamespaceName(ns));
  RunIpBatch({}, root_lines);

  // The switch: one bridge per network, a port per host link. STP stays off, so ports
  // forward at once instead of after the 15 s learning delay.
  std::vector<std::string> sw = {"link set lo up"};
  for (const auto& net : topology.networks) {
    sw.push_back("link add br-" + net.name + " type bridge stp_state 0 forward_delay 0");
    sw.push_back("link set br-" + net.name + " up");
  }
  for (const auto& host : topology.hosts) AppendSwitchPorts(host, sw);
  RunIpBatch({"-n", NamespaceName(kSwitchNamespace)}, sw);

  for (const auto& host : topology.hosts) ConfigureHostInterfaces(topology, host);
}

void WriteHostResolverFiles(const Topology& topology) {
  std::string nameservers;
  for (const auto* dns : topology.HostsRunning("dns"))
    nameservers += "nameserver " + *dns->AddressOn("public") + "\n";
  for (const auto& host : topology.hosts) {
    fs::path dir = kNetnsEtc / NamespaceName(host.name);
    fs::create_directories(dir);
    std::string hosts = "127.0.0.1\tlocalhost\n";
    for (const auto& [net, addr] : host.addresses) hosts += addr + "\t" + host.name + "\n";
    WriteFile(dir / "hosts", hosts);
    // Only hosts on the public network can reach the lab's DNS server; the others get no
    // nameserver, so a lookup fails at once instead of timing out.
    std::string resolv = "# Rendered by foobar: lab host " + host.name + "\n";
    if (host.AddressOn("public")) resolv += "search " + topology.domain + "\n" + nameservers + "options timeout:1 attempts:2\n";
    WriteFile(dir / "resolv.conf", resolv);
  }
}

void RemoveHostResolverFiles(const Topology& topology) {
  for (const auto& host : topology.hosts) {
    std::error_code ec;
    fs::remove_all(kNetnsEtc / NamespaceName(host.name), ec);
  }
}

void AddBlackholeRoutes(const Topology& topology) {
  auto existing = ExistingBlackholeRoutes(topology);
  for (const auto& net : topology.networks) {
    if (std::find(existing.begin(), existing.end(), net.cidr) != existing.end()) continue;
    auto r = RunCommand({"ip", "route", "add", "blackhole", net.cidr});
    if (!r.ok()) throw LabError("cannot add blackhole route " + net.cidr + ": " + r.FirstErrorLine());
  }
}

std::vector<std::string> ExistingBlackholeRoutes(const Topology& topology) {
  std::vector<std::string> found;
  auto r = RunCommand({"ip", "-4", "route", "show", "type", "blackhole"});
  for (const auto& net : topology.networks)
    if (r.out.find("blackhole " + net.cidr + " ") != std::string::npos ||
        r.out.find("blackhole " + net.cidr + "\n") != std::string::npos)
      found.push_back(net.cidr);
  return found;
}

void RemoveBlackholeRoutes(const Topology& topology) {
  // Another developer's lab on this machine (FOOBAR_NS_PREFIX) still needs the routes.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kNetnsRun, ec)) {
    const std::string name = entry.path().filename();
    if (name.ends_with(kSwitchNamespace) && name != NamespaceName(kSwitchNamespace)) return;
  }
  for (const auto& cidr : ExistingBlackholeRoutes(topology)) {
    auto r = RunCommand({"ip", "route", "del", "blackhole", cidr});
    if (!r.ok()) throw LabError("cannot remove blackhole route " + cidr + ": " + r.FirstErrorLine());
  }
}

void DeleteNamespace(const std::string& name) {
  if (!NamespaceExists(name)) return;
  auto r = RunCommand({"ip", "netns", "delete", NamespaceName(name)});
  if (!r.ok()) throw LabError("cannot delete namespace " + name + ": " + r.FirstErrorLine());
}

bool ProcessInNamespace(pid_t pid, const std::string& name) {
  ino_t ns_ino{}, proc_ino{};
  dev_t ns_dev{}, proc_dev{};
  if (!InodeOf(kNetnsRun / NamespaceName(name), ns_ino, ns_dev)) return false;
  if (!InodeOf("/proc/" + std::to_string(pid) + "/ns/net", proc_ino, proc_dev)) return false;
  return ns_ino == proc_ino && ns_dev == proc_dev;
}

std::vector<pid_t> PidsInNamespace(const std::string& name) {
  std::vector<pid_t> pids;
  ino_t ns_ino{};
  dev_t ns_dev{};
  if (!InodeOf(kNetnsRun / NamespaceName(name), ns_ino, ns_dev)) return pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid_text = entry.path().filename();
    if (pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    ino_t ino{};
    dev_t dev{};
    if (InodeOf(entry.path() / "ns/net", ino, dev) && ino == ns_ino && dev == ns_dev)
      pids.push_back(static_cast<pid_t>(std::stol(pid_text)));
  }
  return pids;
}

}  // namespace foobar::ctl
