#include "ctl/lab/teardown.h"

#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"
#include "ctl/lab/process.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
using namespace std::chrono_literals;

void TearDownLab(const LabContext& lab) {
  const auto& order = KnownServices();
  for (auto service = order.rbegin(); service != order.rend(); ++service)
    for (const Host* host : lab.topology.HostsRunning(*service))
      if (NamespaceExists(host->name)) StopService(lab, *host, *service);

  // Anything else still in a lab namespace was started by us too (`foobar exec`, tests).
  // Scan again until none is left: a process may fork while its siblings are ending.
  for (int round = 0; round < 5; ++round) {
    std::vector<pid_t> leftovers;
    for (const auto& ns : LabNamespaces(lab.topology))
      for (pid_t pid : PidsInNamespace(ns))
        if (IsAlive(pid)) leftovers.push_back(pid);
    if (leftovers.empty()) break;
    TerminateProcesses(leftovers, round == 0 ? 3s : 1s);
  }

  for (const auto& ns : LabNamespaces(lab.topology)) DeleteNamespace(ns);
  RemoveHostResolverFiles(lab.topology);
  RemoveBlackholeRoutes(lab.topology);
  ForgetLab(lab.state);
}

}  // namespace foobar::ctl
