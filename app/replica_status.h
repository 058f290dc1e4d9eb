// A read-only server's replication state, from SHOW ALL SLAVES STATUS: are its channels
// running, and how far behind are they. One cheap statement, run by the prober about once a
// second on read-only servers only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/db_connection.h"
#include "common/result.h"

namespace foobar::app {

// One replication channel (a row of SHOW ALL SLAVES STATUS).
struct ReplicationChannel {
  std::string io_running;   // Slave_IO_Running: "Yes", "No", "Connecting", "Preparing"
  std::string sql_running;  // Slave_SQL_Running: "Yes", "No"
  std::optional<long long> seconds_behind;  // Seconds_Behind_Master; NULL when not running
};

struct ReplicationHealth {
  bool replicating = false;        // at least one channel, every channel's threads "Yes"
  std::optional<long long> lag_s;  // the largest lag; nullopt if any channel's is unknown
};

ReplicationHealth SummarizeReplication(const std::vector<ReplicationChannel>& channels);

// Runs SHOW ALL SLAVES STATUS on `connection` (statement slot `statement_id` of its cache).
// ALL rather than plain SHOW SLAVE STATUS, so a named channel is seen too. Blocking.
Result<std::vector<ReplicationChannel>> QueryReplicationChannels(DbConnection& connection,
                                                                 std::size_t statement_id);

}  // namespace foobar::app
