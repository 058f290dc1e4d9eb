#include "ctl/lab/host_network.h"

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/lab/process.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

void PlugInHost(const Topology& topology, const Host& host) {
  if (NamespaceExists(host.name)) throw LabError("namespace for " + host.name + " exists already");
  RunIpBatch({}, {"netns add " + NamespaceName(host.name)});
  std::vector<std::string> sw;
  for (const auto& [net, addr] : host.addresses) {
    const std::string port = SwitchPortName(host.name, net);
    sw.push_back("link add " + port + " type veth peer name " + net + " netns " + NamespaceName(host.name));
    sw.push_back("link set " + port + " master br-" + net);
    sw.push_back("link set " + port + " up");
  }
  RunIpBatch({"-n", NamespaceName(kSwitchNamespace)}, sw);
  std::vector<std::string> lines = {"link set lo up"};
  for (const auto& [net, addr] : host.addresses) {
    const Network* n = topology.FindNetwork(net);
    lines.push_back("addr add " + addr + "/" + std::to_string(n->prefix_length) + " dev " + net);
    lines.push_back("link set " + net + " up");
  }
  RunIpBatch({"-n", NamespaceName(host.name)}, lines);
  auto r = RunCommand({"ip", "netns", "exec", NamespaceName(host.name), "sysctl", "-q", "-w",
                       "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
                       "net.ipv4.ip_nonlocal_bind=1", "net.ipv4.ping_group_range=0 2147483647"});
  if (!r.ok()) throw LabError("sysctl in " + host.name + " failed: " + r.FirstErrorLine());
}

void RemoveHost(const LabContext& lab, const Host& host) {
  const auto& order = KnownServices();
  if (NamespaceExists(host.name))
    for (auto service = order.rbegin(); service != order.rend(); ++service)
      if (host.Runs(*service)) StopService(lab, host, *service);
  for (int round = 0; round < 5; ++round) {
    std::vector<pid_t> leftovers;
    for (pid_t pid : PidsInNamespace(host.name))
      if (IsAlive(pid)) leftovers.push_back(pid);
    if (leftovers.empty()) break;
    TerminateProcesses(leftovers, 2s);
  }
  DeleteNamespace(host.name);
  std::error_code ec;
  fs::remove_all(fs::path("/etc/netns") / NamespaceName(host.name), ec);
  fs::remove_all(lab.state.Host(host.name).root, ec);
}

}  // namespace foobar::ctl
