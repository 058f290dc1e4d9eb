// `foobar stop|start|restart HOST SERVICE`.
#include <cstdio>

#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {

int ServiceCommand(const std::string& action, const std::string& host_name, const std::string& service) {
  LabContext lab = RequireRecordedLab();
  const Host& host = lab.HostNamed(host_name);
  CheckHostRuns(host, service);
  if (!NamespaceExists(host.name)) throw LabError("host '" + host.name + "' is not running");
  if (action == "stop" || action == "restart") StopService(lab, host, service);
  if (action == "start" || action == "restart") StartService(lab, host, service);
  std::printf("%s on %s: %s\n", service.c_str(), host.name.c_str(),
              ServiceRunning(lab, host, service) ? "up" : "down");
  return 0;
}

}  // namespace foobar::ctl
