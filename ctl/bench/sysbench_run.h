// The database ceiling: `sysbench oltp_point_select` (server-side prepared primary-key
// SELECTs) against the same MariaDB server the app reads from, from the app's host, at the
// same concurrency as the app's benchmark. A throwaway `sbtest` schema and user are created
// on the primary (replicated to the replicas) and dropped again afterwards, even on failure.
#pragma once

#include <optional>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl::bench {

struct SysbenchPlan {
  std::string from_host;  // where sysbench runs (an app host)
  int threads = 32;
  double duration_s = 5;
  int table_size = 10000;
};

struct SysbenchResult {
  std::string server;        // the database host measured
  double queries_per_s = 0;
  double p95_ms = 0;
};

// "queries: N (Q per sec.)" and the 95th percentile line of sysbench's report.
std::optional<SysbenchResult> ParseSysbenchOutput(const std::string& output);

// Throws LabError when the database or sysbench fails; the schema and user are gone after.
SysbenchResult RunPointSelect(const LabContext& lab, const SysbenchPlan& plan);

}  // namespace foobar::ctl::bench
