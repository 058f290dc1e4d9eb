// An app server as every load balancer sees it, through HAProxy's runtime API: its state,
// sessions and response counters (`show stat`), and the admin states a deploy moves it
// through (`set server app_servers/NAME state drain|ready`).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

inline constexpr const char* kAppBackend = "app_servers";

// One server line of `show stat` (cumulative counters since this HAProxy worker started).
struct LbServerStats {
  std::string server;
  std::string status;      // "UP", "DOWN", "DRAIN", "MAINT", "UP 1/2", ...
  long long scur = 0;      // sessions in flight now
  long long qcur = 0;      // requests queued for it now
  long long responses = 0; // hrsp_1xx..hrsp_5xx + hrsp_other
  long long errors_5xx = 0;
  long long rtime_ms = 0;  // mean response time over its last 1024 requests
};

// Parses `show stat` CSV: the servers of `backend`.
std::vector<LbServerStats> ParseServerStats(const std::string& csv, const std::string& backend);

// The app servers as one load balancer sees them now.
Result<std::vector<LbServerStats>> AppServerStats(const LabContext& lab, const Host& lb);

// Sums of every load balancer's counters per app server (scur, qcur, responses, 5xx; rtime
// is the largest). Load balancers that do not answer are left out.
std::map<std::string, LbServerStats> AppServerStatsEverywhere(const LabContext& lab);

// `set server app_servers/SERVER state STATE` on every load balancer; throws LabError.
void SetAppServerState(const LabContext& lab, const std::string& server, const std::string& state);

// Waits until no load balancer has a session or queued request on `server`; false on timeout.
bool WaitForNoSessions(const LabContext& lab, const std::string& server, std::chrono::milliseconds bound);

// Waits until every load balancer lists `server` as UP (health checks passed, not drained).
bool WaitForServerUp(const LabContext& lab, const std::string& server, std::chrono::milliseconds bound);

}  // namespace foobar::ctl
