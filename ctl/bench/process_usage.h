// What the stack's processes cost: CPU time (utime + stime from /proc/PID/stat, every thread
// included) summed by process kind over the lab's hosts, and a process's resident memory.
// A benchmark samples before and after a run and divides the difference by the requests.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl::bench {

// CPU seconds by kind: app, nginx, haproxy, mariadb, nginx-ref (the reference instance),
// wrk, sysbench. Processes of other programs are not counted.
using CpuByKind = std::map<std::string, double>;

// The kind of a process from its command name, "" for one we do not count. A process whose
// own or parent PID is in `reference_pids` is the reference nginx.
std::string ProcessKind(const std::string& comm, pid_t pid, pid_t ppid, const std::set<pid_t>& reference_pids);

struct ProcStat {
  std::string comm;
  pid_t ppid = 0;
  double cpu_s = 0;  // utime + stime
};
// Parses the text of /proc/PID/stat (the command name may hold spaces and parentheses).
std::optional<ProcStat> ParseProcStat(const std::string& text);

CpuByKind SampleCpu(const LabContext& lab, const std::set<pid_t>& reference_pids);

// after - before, kind by kind.
CpuByKind CpuDelta(const CpuByKind& before, const CpuByKind& after);

// VmRSS of a process in MiB; nullopt when it is gone.
std::optional<double> ResidentMiB(pid_t pid);

}  // namespace foobar::ctl::bench
