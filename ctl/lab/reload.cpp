#include "ctl/lab/reload.h"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/haproxy_admin.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/lab/services.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/service_configs.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// "Pid: N" of `show info`: the worker answering the runtime API.
std::string HaproxyWorkerPid(const fs::path& socket) {
  auto info = HaproxyCommand(socket, "show info");
  if (!info.ok()) return "";
  auto at = info->find("\nPid: ");
  if (at == std::string::npos) return "";
  at += 6;
  return info->substr(at, info->find('\n', at) - at);
}

// Checks the candidate config as the daemon itself would, inside the host's namespace.
void CheckConfig(const Host& host, const std::string& service, const fs::path& candidate, const HostPaths& paths) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(host.name)};
  if (service == "haproxy") {
    argv.insert(argv.end(), {"haproxy", "-c", "-q", "-f", candidate.string()});
  } else if (service == "nginx") {
    argv.insert(argv.end(), {"nginx", "-t", "-q", "-c", candidate.string(), "-p", (paths.Run() / "nginx").string() + "/",
                             "-e", (paths.Log() / "nginx-error.log").string()});
  } else {
    return;
  }
  CommandResult r = RunCommand(argv);
  if (!r.ok()) throw LabError(service + " on " + host.name + " rejects the new config: " + r.FirstErrorLine());
}

}  // namespace

std::string ReloadService(const LabContext& lab, const Host& host, const std::string& service) {
  CheckHostRuns(host, service);
  static const std::map<std::string, int> kReloadSignal = {
      {"haproxy", SIGUSR2}, {"nginx", SIGHUP}, {"prometheus", SIGHUP}, {"alertmanager", SIGHUP}, {"keepalived", SIGHUP}};
  auto signal_it = kReloadSignal.find(service);
  if (signal_it == kReloadSignal.end())
    throw LabError(service + " has no hitless reload here (use `foobar restart " + host.name + " " + service + "`)");
  const DaemonSpec spec = DaemonFor(lab, host, service);
  if (!RunningDaemonPid(spec)) throw LabError(service + " is not running on " + host.name);

  const HostPaths paths = lab.state.Host(host.name);
  RenderedConfig config = RenderServiceConfig(lab.ForHost(host), service);
  const fs::path candidate = config.path.string() + ".candidate";
  {
    std::ofstream out(candidate, std::ios::trunc);
    out << config.content;
    if (!out) throw LabError("cannot write " + candidate.string());
  }
  try {
    CheckConfig(host, service, candidate, paths);
  } catch (...) {
    fs::remove(candidate);
    throw;
  }
  bool changed = true;
  {
    std::ifstream old(config.path);
    std::string current((std::istreambuf_iterator<char>(old)), std::istreambuf_iterator<char>());
    changed = current != config.content;
  }
  fs::rename(candidate, config.path);

  const fs::path socket = HaproxyStatsSocketPath(paths);
  const std::string old_worker = service == "haproxy" ? HaproxyWorkerPid(socket) : "";
  if (!SignalDaemon(spec, signal_it->second)) throw LabError(service + " on " + host.name + " stopped meanwhile");
  if (service == "haproxy") {
    // Reloaded once a new worker answers the runtime API.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      const std::string worker = HaproxyWorkerPid(socket);
      if (!worker.empty() && worker != old_worker) break;
      if (std::chrono::steady_clock::now() > deadline)
        throw LabError("haproxy on " + host.name + " did not start new workers within 10 s; see its log");
      std::this_thread::sleep_for(20ms);
    }
  }
  return service + " on " + host.name + " reloaded" + (changed ? "" : " (config unchanged)");
}

}  // namespace foobar::ctl
