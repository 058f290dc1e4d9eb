// foobar-app's metrics: one set per process (ProcessMetrics()), updated by the HTTP sessions,
// the database pools and the message store, rendered by the metrics listener (metrics_handler.h).
// Every name starts with foobar_; units are in the names (seconds), counters end in _total.
#pragma once

#include <string>
#include <string_view>

#include "app/http_metrics.h"
#include "app/metrics.h"
#include "app/read_routing.h"

namespace foobar::app {

// One database pool's series; references stay valid for the process's life.
struct DbPoolMetrics {
  Gauge* size = nullptr;           // foobar_db_pool_connections
  Gauge* in_use = nullptr;         // foobar_db_pool_connections_in_use
  Histogram* wait = nullptr;       // foobar_db_pool_wait_seconds: queued until a worker took it
  Counter* ok = nullptr;           // foobar_db_queries_total{outcome="ok"}
  Counter* error = nullptr;        // {outcome="error"}: the server or the connection failed it
  Counter* unavailable = nullptr;  // {outcome="unavailable"}: never ran (no server, queue full)
  Histogram* duration = nullptr;   // foobar_db_query_duration_seconds
};

// Why a read the router meant for a replica was served by the primary instead.
enum class ReadFallback { kNotCaughtUp, kReplicaFailed };

class AppMetrics {
 public:
  AppMetrics();
  AppMetrics(const AppMetrics&) = delete;
  AppMetrics& operator=(const AppMetrics&) = delete;

  MetricsRegistry& registry() { return registry_; }
  HttpMetrics& http() { return http_; }

  // The series of the pool named `pool_name` (DbPool::Options::name: "primary", or
  // "replica ADDR:PORT"), labelled pool="primary"|"replica" and server (empty for the
  // primary's pool, which follows whichever server is primary). Start-up only: takes locks.
  DbPoolMetrics ForPool(std::string_view pool_name);

  // A read-your-writes wait (MASTER_GTID_WAIT) on a replica ended with `outcome`.
  void CountReadYourWritesWait(ReplicaReadOutcome outcome) noexcept;
  void CountReadFallback(ReadFallback reason) noexcept;

  // foobar_build_info{version} 1 for the running version (start-up).
  void SetBuildInfo(const std::string& version);

 private:
  MetricsRegistry registry_;
  HttpMetrics http_;
  GaugeFamily& build_info_;
  GaugeFamily& pool_size_;
  GaugeFamily& pool_in_use_;
  HistogramFamily& pool_wait_;
  CounterFamily& queries_;
  HistogramFamily& query_duration_;
  CounterFamily& ryw_waits_;
  CounterFamily& fallbacks_;
  Counter* ryw_caught_up_ = nullptr;
  Counter* ryw_not_caught_up_ = nullptr;
  Counter* ryw_failed_ = nullptr;
  Counter* fallback_not_caught_up_ = nullptr;
  Counter* fallback_replica_failed_ = nullptr;
};

// The process's metrics, created on first use.
AppMetrics& ProcessMetrics();

}  // namespace foobar::app
