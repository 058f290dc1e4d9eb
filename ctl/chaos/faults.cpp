#include "ctl/chaos/faults.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/lab/process.h"
#include "ctl/lab/services.h"

namespace foobar::ctl::chaos {
using namespace std::chrono_literals;

Fault::Fault(const LabContext& lab, FaultSpec spec)
    : lab_(lab), spec_(std::move(spec)), host_(lab.HostNamed(spec_.host)) {
  if (!NamespaceExists(host_.name)) throw LabError("host '" + host_.name + "' is not running (is the lab up?)");
  if (spec_.kind == FaultKind::kStop || spec_.kind == FaultKind::kPause) {
    if (!ServiceRunning(lab_, host_, spec_.service))
      throw LabError(spec_.service + " on " + host_.name + " is not running: nothing to " + spec_.FaultName());
  }
}

Fault::~Fault() {
  if (!injected_) return;
  try {
    Heal();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "foobar: could not heal %s %s: %s\n", spec_.FaultName().c_str(),
                 spec_.TargetName().c_str(), e.what());
  }
}

void Fault::SetLinks(bool up) const {
  std::vector<std::string> lines;
  for (const auto& [network, address] : host_.addresses)
    lines.push_back("link set " + SwitchPortName(host_.name, network) + (up ? " up" : " down"));
  RunIpBatch({"-n", NamespaceName(kSwitchNamespace)}, lines);
}

void Fault::KillEverything() const {
  std::vector<pid_t> pids = PidsInNamespace(host_.name);
  for (pid_t pid : pids) ::kill(pid, SIGKILL);
  // SIGKILL cannot be caught; wait until the kernel has finished them off.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  for (pid_t pid : pids)
    while (IsAlive(pid) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
}

void Fault::RemoveVipAddresses() const {
  // keepalived adds the VIPs it holds; a SIGKILLed one leaves them behind, a rebooted
  // machine would not have them. Only the topology's VIPs are touched.
  auto shown = RunCommand({"ip", "-n", NamespaceName(host_.name), "-j", "-4", "addr", "show"});
  if (!shown.ok()) throw LabError("cannot list addresses on " + host_.name + ": " + shown.FirstErrorLine());
  auto interfaces = nlohmann::json::parse(shown.out, nullptr, false);
  if (!interfaces.is_array()) return;
  std::vector<std::string> lines;
  for (const auto& interface : interfaces) {
    for (const auto& info : interface.value("addr_info", nlohmann::json::array())) {
      const std::string local = info.value("local", "");
      for (const auto& vip : lab_.topology.vips)
        if (vip.address == local)
          lines.push_back("addr del " + local + "/" + std::to_string(info.value("prefixlen", 32)) + " dev " +
                          interface.value("ifname", ""));
    }
  }
  if (!lines.empty()) RunIpBatch({"-n", NamespaceName(host_.name)}, lines);
}

void Fault::SignalGroup(int signal) const {
  if (!paused_group_) return;
  // Only while the group leader is still the daemon we recorded, in the lab's namespace.
  auto pid = RunningDaemonPid(DaemonFor(lab_, host_, spec_.service));
  if (!pid || *pid != *paused_group_) return;
  if (::getpgid(*pid) == *pid) {
    ::kill(-*pid, signal);
  } else {
    ::kill(*pid, signal);
  }
}

void Fault::Inject() {
  injected_ = true;  // from here on, Heal() undoes whatever part was done
  switch (spec_.kind) {
    case FaultKind::kKill:
      SetLinks(false);
      KillEverything();
      break;
    case FaultKind::kPartition:
      SetLinks(false);
      break;
    case FaultKind::kStop:
      StopService(lab_, host_, spec_.service);
      break;
    case FaultKind::kPause: {
      auto pid = RunningDaemonPid(DaemonFor(lab_, host_, spec_.service));
      if (!pid) throw LabError(spec_.service + " on " + host_.name + " is not running");
      paused_group_ = *pid;
      SignalGroup(SIGSTOP);
      break;
    }
  }
}

void Fault::Heal() {
  if (!injected_) return;
  injected_ = false;
  switch (spec_.kind) {
    case FaultKind::kKill: {
      // Every step is tried whatever the one before it did: a half-booted host is worse.
      std::string errors;
      auto attempt = [&](const std::function<void()>& step) {
        try {
          step();
        } catch (const std::exception& e) {
          errors += (errors.empty() ? "" : "; ") + std::string(e.what());
        }
      };
      attempt([&] { RemoveVipAddresses(); });
      attempt([&] { SetLinks(true); });
      for (const auto& service : KnownServices())
        if (host_.Runs(service)) attempt([&] { StartService(lab_, host_, service); });
      if (!errors.empty()) throw LabError(errors);
      break;
    }
    case FaultKind::kPartition:
      SetLinks(true);
      break;
    case FaultKind::kStop:
      StartService(lab_, host_, spec_.service);
      break;
    case FaultKind::kPause:
      SignalGroup(SIGCONT);
      paused_group_.reset();
      break;
  }
}

bool NeedsRejoin(const LabContext& lab, const Host& host) {
  if (!host.Runs("mariadb")) return false;
  auto db = AdminConnection::Connect(MariadbAdminSocket(lab, host), 2s);
  if (!db.ok()) return false;  // down: that is a service down, not a rejoin
  auto read_only = (*db)->Run("SELECT @@global.read_only");
  if (!read_only.ok() || read_only->rows.empty() || read_only->rows[0][0] == "0") return false;  // the primary
  auto replica = (*db)->Run("SHOW SLAVE STATUS");
  if (!replica.ok() || replica->rows.empty()) return true;
  auto column = [&](const std::string& name) -> std::string {
    for (size_t i = 0; i < replica->columns.size(); ++i)
      if (replica->columns[i] == name) return replica->rows[0][i];
    return "";
  };
  return !(column("Slave_IO_Running") == "Yes" && column("Slave_SQL_Running") == "Yes");
}

}  // namespace foobar::ctl::chaos
