// The app's metric families and their series. Series known at start-up are created here so
// that they show (at 0) before the first event: a rate() over a series that appears only with
// its first error misses that error.
#include "app/app_metrics.h"

namespace foobar::app {
namespace {

// Waiting for a pooled connection is normally far below a millisecond.
std::vector<double> PoolWaitBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2};
}

}  // namespace

AppMetrics::AppMetrics()
    : http_(registry_),
      build_info_(registry_.AddGauge("foobar_build_info",
                                     "Always 1; the version label is the running release's.",
                                     {"version"})),
      pool_size_(registry_.AddGauge("foobar_db_pool_connections",
                                    "Database connections (worker threads) of a pool.",
                                    {"pool", "server"})),
      pool_in_use_(registry_.AddGauge("foobar_db_pool_connections_in_use",
                                      "Connections of a pool running a query right now.",
                                      {"pool", "server"})),
      pool_wait_(registry_.AddHistogram(
          "foobar_db_pool_wait_seconds",
          "Time a query waited in its pool's queue for a free connection.", {"pool", "server"},
          PoolWaitBuckets())),
      queries_(registry_.AddCounter(
          "foobar_db_queries_total",
          "Database jobs (one request's statements on one connection) by target and outcome: "
          "ok, error (failed on the server or connection), unavailable (never ran).",
          {"target", "outcome"})),
      query_duration_(registry_.AddHistogram(
          "foobar_db_query_duration_seconds",
          "Time a database job ran on its connection (read-your-writes wait included).",
          {"target"}, LatencyBuckets())),
      ryw_waits_(registry_.AddCounter("foobar_db_read_your_writes_waits_total",
                                      "Reads that waited on a replica for the client's last "
                                      "write (fb_rw cookie), by outcome.",
                                      {"outcome"})),
      fallbacks_(registry_.AddCounter(
          "foobar_db_read_fallbacks_total",
          "Reads meant for a replica that the primary served instead, by reason.", {"reason"})) {
  for (const char* target : {"primary", "replica"}) {
    for (const char* outcome : {"ok", "error", "unavailable"}) {
      queries_.WithLabels({target, outcome});
    }
    query_duration_.WithLabels({target});
  }
  ryw_caught_up_ = &ryw_waits_.WithLabels({"caught_up"});
  ryw_not_caught_up_ = &ryw_waits_.WithLabels({"not_caught_up"});
  ryw_failed_ = &ryw_waits_.WithLabels({"failed"});
  fallback_not_caught_up_ = &fallbacks_.WithLabels({"not_caught_up"});
  fallback_replica_failed_ = &fallbacks_.WithLabels({"replica_failed"});
}

DbPoolMetrics AppMetrics::ForPool(std::string_view pool_name) {
  constexpr std::string_view kReplicaPrefix = "replica ";
  const bool replica = pool_name.substr(0, kReplicaPrefix.size()) == kReplicaPrefix;
  const std::string target = replica ? "replica" : "primary";
  const std::string server = replica ? std::string(pool_name.substr(kReplicaPrefix.size())) : "";
  DbPoolMetrics m;
  m.size = &pool_size_.WithLabels({target, server});
  m.in_use = &pool_in_use_.WithLabels({target, server});
  m.wait = &pool_wait_.WithLabels({target, server});
  m.ok = &queries_.WithLabels({target, "ok"});
  m.error = &queries_.WithLabels({target, "error"});
  m.unavailable = &queries_.WithLabels({target, "unavailable"});
  m.duration = &query_duration_.WithLabels({target});
  return m;
}

void AppMetrics::CountReadYourWritesWait(ReplicaReadOutcome outcome) noexcept {
  switch (outcome) {
    case ReplicaReadOutcome::kServed:
      ryw_caught_up_->Inc();
      return;
    case ReplicaReadOutcome::kNotCaughtUp:
      ryw_not_caught_up_->Inc();
      return;
    case ReplicaReadOutcome::kFailed:
      ryw_failed_->Inc();
      return;
  }
}

void AppMetrics::CountReadFallback(ReadFallback reason) noexcept {
  (reason == ReadFallback::kNotCaughtUp ? fallback_not_caught_up_ : fallback_replica_failed_)
      ->Inc();
}

void AppMetrics::SetBuildInfo(const std::string& version) {
  build_info_.WithLabels({version}).Set(1);
}

AppMetrics& ProcessMetrics() {
  static AppMetrics metrics;
  return metrics;
}

}  // namespace foobar::app
