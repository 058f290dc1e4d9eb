#include "ctl/bench/process_usage.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "ctl/lab/network.h"

namespace foobar::ctl::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string ProcessKind(const std::string& comm, pid_t pid, pid_t ppid, const std::set<pid_t>& reference_pids) {
  if (comm == "nginx") return reference_pids.count(pid) || reference_pids.count(ppid) ? "nginx-ref" : "nginx";
  if (comm == "foobar-app") return "app";
  if (comm == "haproxy") return "haproxy";
  if (comm == "mariadbd" || comm == "mysqld") return "mariadb";
  if (comm == "wrk") return "wrk";
  if (comm == "sysbench") return "sysbench";
  return "";
}

std::optional<ProcStat> ParseProcStat(const std::string& text) {
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcStat stat;
  stat.comm = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  // After the name: state (field 3), ppid (4), ..., utime (14), stime (15).
  if (fields.size() < 13) return std::nullopt;
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  try {
    stat.ppid = static_cast<pid_t>(std::stol(fields[1]));
    stat.cpu_s = static_cast<double>(std::stoull(fields[11]) + std::stoull(fields[12])) / ticks;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return stat;
}

CpuByKind SampleCpu(const LabContext& lab, const std::set<pid_t>& reference_pids) {
  CpuByKind total;
  for (const auto& host : lab.topology.hosts) {
    if (!NamespaceExists(host.name)) continue;
    for (pid_t pid : PidsInNamespace(host.name)) {
      const auto stat = ParseProcStat(ReadFile("/proc/" + std::to_string(pid) + "/stat"));
      if (!stat) continue;
      const std::string kind = ProcessKind(stat->comm, pid, stat->ppid, reference_pids);
      if (!kind.empty()) total[kind] += stat->cpu_s;
    }
  }
  return total;
}

CpuByKind CpuDelta(const CpuByKind& before, const CpuByKind& after) {
  CpuByKind delta;
  for (const auto& [kind, seconds] : after) {
    auto it = before.find(kind);
    // A process that started during the run (wrk, sysbench) counts from zero.
    delta[kind] = seconds - (it == before.end() ? 0 : it->second);
  }
  return delta;
}

std::optional<double> ResidentMiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
  }
  return std::nullopt;
}

}  // namespace foobar::ctl::bench
