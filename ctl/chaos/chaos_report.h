// What a chaos run found, and its two renderings: the JSON object of `--json` (the keys the
// issue names, then extra ones) and the human summary.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "ctl/chaos/fault_spec.h"
#include "ctl/chaos/load_stats.h"
#include "ctl/chaos/write_audit.h"

namespace foobar::ctl::chaos {

struct ChaosResult {
  FaultSpec fault;
  double rate = 0;
  double duration_s = 0;
  double timeout_s = 0;  // per request
  std::vector<std::string> addresses;  // what the load was spread over

  LoadSummary load;
  // From the fault to the last failed request (of any kind, of writes): how long it took
  // until nothing failed any more, heal included.
  double disruption_s = 0;
  double write_disruption_s = 0;

  bool audited = false;     // the acknowledged writes were checked on a primary
  std::string audit_error;  // why not
  std::string primary;      // the server they were checked on
  WriteAudit audit;

  int max_writable = 0;
  std::set<std::string> writable_seen;

  double fault_at_s = -1;   // when the fault was injected (from the start of the load)
  double heal_at_s = -1;    // when healing began
  double heal_took_s = -1;  // how long healing took (booting a host, starting a service)
  bool healed = false;
  std::string heal_error;
  bool interrupted = false;  // stopped early by SIGINT/SIGTERM (healed all the same)

  std::vector<std::string> needs_rejoin;   // database hosts waiting for `foobar db rejoin`
  std::vector<std::string> services_down;  // "HOST/SERVICE" not running at the end
  std::vector<std::string> backends_down;  // "LB:server status" not UP at the end

  std::string started_at;    // wall-clock time zero of the load (UTC, ISO 8601), for the logs
  std::string timeline_csv;  // paths of the files written
  std::string requests_csv;
  std::string plot;
};

// Keys in the order first (ordered_json keeps insertion order), then the extras.
nlohmann::ordered_json ResultJson(const ChaosResult& result);
std::string ResultText(const ChaosResult& result);
// One line for the plot's subtitle.
std::string ResultHeadline(const ChaosResult& result);

}  // namespace foobar::ctl::chaos
