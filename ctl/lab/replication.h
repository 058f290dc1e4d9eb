// The database tier as the CLI sees and sets it up: what each MariaDB server says about
// itself (read-only, GTID positions, semi-sync, replication), the replication set-up at
// `up`, and the statements that make a server a replica.
#pragma once

#include <optional>
#include <string>

#include "ctl/lab/db_admin.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

struct DbServerState {
  const Host* host = nullptr;
  bool answers = false;  // the admin socket answered
  std::string error;     // why not
  bool read_only = true;
  std::string gtid_binlog_pos;
  std::string gtid_current_pos;
  std::string gtid_slave_pos;
  bool semi_sync_master = false;  // rpl_semi_sync_master_enabled
  bool semi_sync_on = false;      // Rpl_semi_sync_master_status
  int semi_sync_clients = 0;
  // SHOW SLAVE STATUS, when the server replicates (or did: replication configured).
  bool replica_configured = false;
  std::string master_host;
  std::string io_running;
  std::string sql_running;
  std::string gtid_io_pos;
  std::optional<long long> seconds_behind;
  std::string last_error;  // the IO or SQL thread's last error

  bool Replicating() const { return io_running == "Yes" && sql_running == "Yes"; }
};

// Asks the server over its admin socket (one attempt).
DbServerState InspectDatabase(const LabContext& lab, const Host& host);

// The database host whose private address is `address`, or nullptr.
const Host* DatabaseHostAt(const Topology& topology, const std::string& address);

// CHANGE MASTER TO the primary (GTID from gtid_slave_pos, heartbeat every 0.5 s, retry every 1 s,
// the replication account; over verified TLS with [security] end_to_end_tls, the CA being
// `replica`'s own copy), then START SLAVE. Sent to `replica`.
std::string ReplicateFromSql(const LabContext& lab, const Host& replica, const Host& primary);

// Waits until `replica` replicates and has applied `position` (MASTER_GTID_WAIT); throws
// LabError naming the replication error if it stops or the bound passes.
void WaitForReplica(const LabContext& lab, const Host& replica, const std::string& position, int timeout_s);

// After the last database server has started at `up`: with one server, the schema and
// users; with several, also replication (the first mariadb host is the primary of a fresh
// lab), semi-sync on the primary once every replica has caught up, and the cluster record in
// etcd that the sentinels start from. On a lab that is up already, only what is missing.
void SetUpDatabaseTier(const LabContext& lab);

}  // namespace foobar::ctl
