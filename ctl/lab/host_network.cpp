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
  AppendSwitchPorts(host, sw);
  RunIpBatch({"-n", NamespaceName(kSwitchNamespace)}, sw);
  ConfigureHostInterfaces(topology, host);
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
