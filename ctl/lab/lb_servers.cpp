#include "ctl/lab/lb_servers.h"

#include <algorithm>
#include <sstream>
#include <thread>

#include "ctl/lab/haproxy_admin.h"
#include "ctl/lab/lab_error.h"
#include "ctl/render/haproxy_config.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream row(line);
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  return cells;
}

long long Number(const std::vector<std::string>& cells, int column) {
  if (column < 0 || static_cast<size_t>(column) >= cells.size() || cells[static_cast<size_t>(column)].empty()) return 0;
  try {
    return std::stoll(cells[static_cast<size_t>(column)]);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

std::vector<LbServerStats> ParseServerStats(const std::string& csv, const std::string& backend) {
  std::vector<LbServerStats> out;
  std::map<std::string, int> column;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# ")) {
      auto names = SplitCsv(line.substr(2));
      for (size_t i = 0; i < names.size(); ++i) column[names[i]] = static_cast<int>(i);
      continue;
    }
    auto cells = SplitCsv(line);
    if (cells.size() < 2 || cells[0] != backend || cells[1] == "BACKEND" || cells[1] == "FRONTEND") continue;
    auto col = [&](const char* name) { return column.contains(name) ? column[name] : -1; };
    LbServerStats s;
    s.server = cells[1];
    if (col("status") >= 0 && static_cast<size_t>(col("status")) < cells.size()) s.status = cells[static_cast<size_t>(col("status"))];
    s.scur = Number(cells, col("scur"));
    s.qcur = Number(cells, col("qcur"));
    for (const char* h : {"hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"})
      s.responses += Number(cells, col(h));
    s.errors_5xx = Number(cells, col("hrsp_5xx"));
    s.rtime_ms = Number(cells, col("rtime"));
    out.push_back(s);
  }
  return out;
}

Result<std::vector<LbServerStats>> AppServerStats(const LabContext& lab, const Host& lb) {
  auto csv = HaproxyCommand(HaproxyStatsSocketPath(lab.state.Host(lb.name)), "show stat");
  if (!csv.ok()) return csv.error();
  return ParseServerStats(*csv, kAppBackend);
}

std::map<std::string, LbServerStats> AppServerStatsEverywhere(const LabContext& lab) {
  std::map<std::string, LbServerStats> sum;
  for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
    auto stats = AppServerStats(lab, *lb);
    if (!stats.ok()) continue;
    for (const auto& s : *stats) {
      LbServerStats& t = sum[s.server];
      t.server = s.server;
      t.status = t.status.empty() ? s.status : t.status;
      t.scur += s.scur;
      t.qcur += s.qcur;
      t.responses += s.responses;
      t.errors_5xx += s.errors_5xx;
      t.rtime_ms = std::max(t.rtime_ms, s.rtime_ms);
    }
  }
  return sum;
}

void SetAppServerState(const LabContext& lab, const std::string& server, const std::string& state) {
  for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
    const std::string command = "set server " + std::string(kAppBackend) + "/" + server + " state " + state;
    auto answer = HaproxyCommand(HaproxyStatsSocketPath(lab.state.Host(lb->name)), command);
    if (!answer.ok()) throw LabError("HAProxy on " + lb->name + ": " + answer.error().message);
    // Success is an empty answer; anything else is HAProxy's complaint.
    std::string text = *answer;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (!text.empty()) throw LabError("HAProxy on " + lb->name + " refused `" + command + "`: " + text);
  }
}

bool WaitForNoSessions(const LabContext& lab, const std::string& server, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    bool idle = true;
    for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
      auto stats = AppServerStats(lab, *lb);
      if (!stats.ok()) continue;  // a balancer that is down sends nothing anywhere
      for (const auto& s : *stats)
        if (s.server == server && (s.scur > 0 || s.qcur > 0)) idle = false;
    }
    if (idle) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

bool WaitForServerUp(const LabContext& lab, const std::string& server, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    bool up = true;
    for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
      auto stats = AppServerStats(lab, *lb);
      if (!stats.ok()) continue;
      auto it = std::find_if(stats->begin(), stats->end(), [&](const auto& s) { return s.server == server; });
      if (it == stats->end() || it->status != "UP") up = false;
    }
    if (up) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

}  // namespace foobar::ctl
