// Starting and ending lab daemons. A daemon is started in the foreground inside its host's
// namespace (via `ip netns exec`, which also gives it the host's /etc/netns files), in a
// session of its own, with stdout and stderr appended to its log file. We record its PID
// ourselves and only ever signal a PID we recorded that still lives in the lab namespace.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace foobar::ctl {

struct DaemonSpec {
  std::string host_namespace;  // the lab host's name
  std::vector<std::string> argv;
  std::filesystem::path log_file;
  std::filesystem::path pid_file;  // ours, not the daemon's own
};

// Starts the daemon and writes its PID file; throws LabError if it cannot be started.
pid_t StartDaemon(const DaemonSpec& spec);

// The recorded PID if that process is alive (not a zombie) in the host's namespace.
std::optional<pid_t> RunningDaemonPid(const DaemonSpec& spec);

// SIGTERM, then SIGKILL after `grace`; returns once every PID is gone.
void TerminateProcesses(const std::vector<pid_t>& pids, std::chrono::milliseconds grace);

bool IsAlive(pid_t pid);

// Sends a signal to a recorded daemon; false if it is not running.
bool SignalDaemon(const DaemonSpec& spec, int signal);

}  // namespace foobar::ctl
