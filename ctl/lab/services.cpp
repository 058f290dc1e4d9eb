#include "ctl/lab/services.h"

#include <algorithm>
#include <fstream>
#include <thread>

#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/render/service_configs.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

void WriteFileAtomically(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out) throw LabError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string LastLines(const fs::path& file, size_t count) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > count) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += "\n    " + l;
  return out;
}

}  // namespace

void CheckHostRuns(const Host& host, const std::string& service) {
  FindServiceKind(service);  // throws for an unknown service, listing the known ones
  if (!host.Runs(service)) throw LabError("host '" + host.name + "' does not run " + service);
}

DaemonSpec DaemonFor(const LabContext& lab, const Host& host, const std::string& service) {
  HostPaths paths = lab.state.Host(host.name);
  DaemonSpec spec;
  spec.host_namespace = host.name;
  spec.argv = FindServiceKind(service).argv(lab, host, ServiceConfigPath(paths, service));
  spec.log_file = paths.Log() / (service + ".log");
  // Our own record of the PID, apart from any pid file the daemon writes itself.
  spec.pid_file = paths.Run() / ("foobar-" + service + ".pid");
  return spec;
}

void PrepareService(const LabContext& lab, const Host& host, const std::string& service) {
  HostPaths paths = lab.state.Host(host.name);
  for (const auto& dir : {paths.Etc(), paths.Data(), paths.Log(), paths.Run()}) fs::create_directories(dir);
  RenderedConfig config = RenderServiceConfig(lab.ForHost(host), service);
  if (!config.path.empty()) WriteFileAtomically(config.path, config.content);  // exporters have none
  const ServiceKind& kind = FindServiceKind(service);
  if (kind.prepare) kind.prepare(lab, host, config.path);
}

bool ServiceRunning(const LabContext& lab, const Host& host, const std::string& service) {
  return RunningDaemonPid(DaemonFor(lab, host, service)).has_value();
}

bool ServiceAnswers(const LabContext& lab, const Host& host, const std::string& service) {
  return FindServiceKind(service).answers(lab, host);
}

void StartService(const LabContext& lab, const Host& host, const std::string& service) {
  CheckHostRuns(host, service);
  DaemonSpec spec = DaemonFor(lab, host, service);
  if (RunningDaemonPid(spec)) return;
  PrepareService(lab, host, service);
  pid_t pid = StartDaemon(spec);
  const auto timeout = FindServiceKind(service).ready_timeout;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ServiceAnswers(lab, host, service)) {
    if (!IsAlive(pid))
      throw LabError(service + " on " + host.name + " exited during start-up; last lines of " +
                     spec.log_file.string() + ":" + LastLines(spec.log_file, 5));
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError(service + " on " + host.name + " did not answer within " +
                     std::to_string(timeout.count() / 1000) + " s; see " + spec.log_file.string() + ":" +
                     LastLines(spec.log_file, 5));
    std::this_thread::sleep_for(50ms);
  }
}

void StopService(const LabContext& lab, const Host& host, const std::string& service) {
  CheckHostRuns(host, service);
  DaemonSpec spec = DaemonFor(lab, host, service);
  auto pid = RunningDaemonPid(spec);
  if (!pid) return;
  TerminateProcesses({*pid}, FindServiceKind(service).stop_grace);
  std::error_code ec;
  fs::remove(spec.pid_file, ec);
}

}  // namespace foobar::ctl
