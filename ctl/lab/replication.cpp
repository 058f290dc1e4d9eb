#include "ctl/lab/replication.h"

#include <fmt/format.h>

#include <ctime>
#include <thread>

#include "common/db_cluster.h"
#include "common/replication_tls.h"
#include "ctl/lab/database_setup.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_etcd.h"
#include "ctl/lab/secrets.h"
#include "ctl/render/sentinel_config.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

std::string Cell(const SqlResult& r, const std::string& column) {
  for (size_t i = 0; i < r.columns.size(); ++i)
    if (r.columns[i] == column && !r.rows.empty()) return r.rows[0][i];
  return "";
}

void Must(AdminConnection& db, const std::string& sql, const std::string& what) {
  auto r = db.Run(sql);
  if (!r.ok()) throw LabError(what + " failed: " + r.error().message);
}

std::unique_ptr<AdminConnection> Admin(const LabContext& lab, const Host& host) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 10s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message);
  return std::move(*conn);
}

long long Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoUtc(long long ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

}  // namespace

DbServerState InspectDatabase(const LabContext& lab, const Host& host) {
  DbServerState state;
  state.host = &host;
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 0ms);
  if (!conn.ok()) {
    state.error = conn.error().message;
    return state;
  }
  auto vars = (*conn)->Run(
      "SELECT @@global.read_only AS read_only, @@global.gtid_binlog_pos AS binlog, "
      "@@global.gtid_current_pos AS current, @@global.gtid_slave_pos AS slave, "
      "@@global.rpl_semi_sync_master_enabled AS semi_sync, "
      "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
      " WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS') AS semi_sync_status, "
      "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
      " WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_CLIENTS') AS semi_sync_clients");
  if (!vars.ok()) {
    state.error = vars.error().message;
    return state;
  }
  state.answers = true;
  state.read_only = Cell(*vars, "read_only") != "0";
  state.gtid_binlog_pos = Cell(*vars, "binlog");
  state.gtid_current_pos = Cell(*vars, "current");
  state.gtid_slave_pos = Cell(*vars, "slave");
  state.semi_sync_master = Cell(*vars, "semi_sync") == "1";
  state.semi_sync_on = Cell(*vars, "semi_sync_status") == "ON";
  try {
    state.semi_sync_clients = std::stoi(Cell(*vars, "semi_sync_clients"));
  } catch (const std::exception&) {
  }
  auto slave = (*conn)->Run("SHOW SLAVE STATUS");
  if (slave.ok() && !slave->rows.empty()) {
    state.replica_configured = true;
    state.master_host = Cell(*slave, "Master_Host");
    state.io_running = Cell(*slave, "Slave_IO_Running");
    state.sql_running = Cell(*slave, "Slave_SQL_Running");
    state.gtid_io_pos = Cell(*slave, "Gtid_IO_Pos");
    const std::string behind = Cell(*slave, "Seconds_Behind_Master");
    if (!behind.empty() && behind != "NULL") state.seconds_behind = std::stoll(behind);
    state.last_error = Cell(*slave, "Last_SQL_Error");
    if (state.last_error.empty()) state.last_error = Cell(*slave, "Last_IO_Error");
  }
  return state;
}

const Host* DatabaseHostAt(const Topology& topology, const std::string& address) {
  for (const Host* h : topology.HostsRunning("mariadb"))
    if (h->AddressOn("private") == address) return h;
  return nullptr;
}

std::string ReplicateFromSql(const LabContext& lab, const Host& replica, const Host& primary) {
  const std::string password = EnsureSecret(lab.state.Secrets(), kReplicationDbPasswordFile);
  const std::string ca = lab.topology.security.end_to_end_tls
                             ? SqlQuote(MariadbTlsCaPath(lab.state.Host(replica.name)).string())
                             : "";
  return fmt::format(
      "CHANGE MASTER TO MASTER_HOST = {}, MASTER_PORT = {}, MASTER_USER = {}, MASTER_PASSWORD = {}, "
      "MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_HEARTBEAT_PERIOD = 0.5{}; START SLAVE",
      SqlQuote(*primary.AddressOn("private")), kMariadbPort, SqlQuote(kReplicationDbUser), SqlQuote(password),
      db_cluster::ChangeMasterTlsOptions(ca));
}

void WaitForReplica(const LabContext& lab, const Host& replica, const std::string& position, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    const DbServerState s = InspectDatabase(lab, replica);
    if (s.answers && s.Replicating()) {
      auto db = Admin(lab, replica);
      auto r = db->Run(fmt::format("SELECT MASTER_GTID_WAIT({}, {})", SqlQuote(position), timeout_s));
      if (r.ok() && !r->rows.empty() && r->rows[0][0] == "0") return;
    }
    if (!s.last_error.empty()) throw LabError(replica.name + " does not replicate: " + s.last_error);
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError(fmt::format("{} did not reach {} within {} s (IO {}, SQL {}{})", replica.name, position, timeout_s,
                                 s.io_running, s.sql_running, s.error.empty() ? "" : ", " + s.error));
    std::this_thread::sleep_for(200ms);
  }
}

void SetUpDatabaseTier(const LabContext& lab) {
  const auto servers = lab.topology.HostsRunning("mariadb");
  if (servers.size() == 1) {
    SetUpDatabase(lab, *servers.front());
    return;
  }
  LabEtcd etcd(lab);
  std::optional<std::string> record_text;
  if (etcd.Exists()) {
    etcd.WaitUntilAnswering(30s);
    record_text = etcd.Get(db_cluster::kClusterKey);
  }

  // Which server is the primary: the one writable server; on a fresh lab, none is writable
  // yet and the first mariadb host becomes it.
  std::vector<DbServerState> states;
  std::vector<const Host*> writable;
  for (const Host* h : servers) {
    states.push_back(InspectDatabase(lab, *h));
    if (!states.back().answers) throw LabError("MariaDB on " + h->name + " does not answer: " + states.back().error);
    if (!states.back().read_only) writable.push_back(h);
  }
  if (writable.size() > 1) throw LabError("more than one database server is writable; the sentinels must settle it first");
  const Host* primary = writable.empty() ? nullptr : writable.front();
  if (!primary && record_text)
    throw LabError("no database server is writable; the sentinels are failing over (see `foobar status`)");
  if (!primary) {
    primary = &InitialPrimary(lab.topology);
    // The master side of semi-sync stays off until a replica can acknowledge: nothing
    // could, while the replicas do not exist yet.
    Must(*Admin(lab, *primary), "SET GLOBAL rpl_semi_sync_master_enabled = 0; SET GLOBAL read_only = 0",
         "opening " + primary->name + " for writes");
  }
  SetUpDatabase(lab, *primary);

  // Fresh servers (nothing in their binlog, never a replica) become replicas; anything else
  // is left to the sentinels and to `foobar db rejoin`.
  const std::string position = InspectDatabase(lab, *primary).gtid_binlog_pos;
  std::vector<std::string> started;
  for (size_t i = 0; i < servers.size(); ++i) {
    const DbServerState& s = states[i];
    if (servers[i] == primary || s.replica_configured || !s.gtid_binlog_pos.empty()) continue;
    Must(*Admin(lab, *servers[i]), ReplicateFromSql(lab, *servers[i], *primary), "making " + servers[i]->name + " a replica");
    started.push_back(servers[i]->name);
  }
  for (const auto& name : started) WaitForReplica(lab, lab.HostNamed(name), position, 60);

  if (record_text || !etcd.Exists()) return;
  // Every replica has everything: the primary waits for their acknowledgements from now on,
  // and the record says so for the sentinels.
  db_cluster::ClusterState state;
  state.epoch = 1;
  state.primary = primary->name;
  state.semi_sync = !started.empty();
  state.in_sync = started;
  Must(*Admin(lab, *primary), fmt::format("SET GLOBAL rpl_semi_sync_master_enabled = {}", state.semi_sync ? 1 : 0),
       "setting semi-sync on " + primary->name);
  state.reason = "set up by `foobar up`";
  state.changed_at_ms = state.primary_since_ms = Now();
  state.changed_at = IsoUtc(state.changed_at_ms);
  etcd.Put(db_cluster::kClusterKey, nlohmann::json(state).dump());
}

}  // namespace foobar::ctl
