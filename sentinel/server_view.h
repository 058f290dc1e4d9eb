// What one probe of a database server shows (read-only or not, GTID positions, semi-sync
// state, replication status), how the probe asks for it, and the prober's running record of
// each server: since when it is down or not writable.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sentinel/db_connection.h"

namespace foobar::sentinel {

struct ReplicaStatus {
  std::string master_host;
  int master_port = 0;
  std::string io_running;   // "Yes", "No", "Connecting"
  std::string sql_running;  // "Yes", "No"
  std::string gtid_io_pos;  // what the IO thread has received
  std::optional<long long> seconds_behind;
  std::string last_io_error;
  std::string last_sql_error;

  bool Running() const { return io_running == "Yes" && sql_running == "Yes"; }
};

struct ServerView {
  bool read_only = true;
  std::string gtid_binlog_pos;
  std::string gtid_current_pos;
  std::string gtid_slave_pos;
  bool semi_sync_enabled = false;  // rpl_semi_sync_master_enabled
  bool semi_sync_on = false;       // Rpl_semi_sync_master_status
  int semi_sync_clients = 0;       // Rpl_semi_sync_master_clients
  int semi_sync_waiting = 0;       // Rpl_semi_sync_master_wait_sessions: commits held for an ack
  std::optional<ReplicaStatus> replica;  // SHOW SLAVE STATUS, when replication is configured

  // Received (replica) or written (primary) position: how far this server's data goes once
  // its relay log is applied.
  std::string ReceivedPosition() const;
};

// The probe: one round trip of two statements.
extern const char* const kProbeSql;
// Reads the result sets of kProbeSql.
Result<ServerView> ParseServerView(const std::vector<ResultSet>& sets);

// The prober's record of one server.
struct ServerSnapshot {
  std::string name;
  bool probed = false;     // at least one probe finished
  bool reachable = false;  // the last probe answered
  std::string error;       // why it did not
  ServerView view;         // the last answer (valid when reachable)
  int64_t probed_at_ms = 0;           // wall clock, when the last probe finished
  int64_t down_since_ms = 0;          // first failed probe of the current outage; 0 when up
  int64_t not_writable_since_ms = 0;  // first probe of the current spell of down or read-only; 0 when writable

  bool Writable() const { return reachable && !view.read_only; }
};

nlohmann::json ToJson(const ServerSnapshot& snapshot);

// Milliseconds since the Unix epoch (the lab's hosts share one clock; see README.md).
int64_t WallMs();

}  // namespace foobar::sentinel
