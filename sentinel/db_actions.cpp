#include "sentinel/db_actions.h"

#include <fmt/format.h>

#include "common/replication_tls.h"
#include "sentinel/db_connection.h"

namespace foobar::sentinel {
namespace {
constexpr unsigned kConnectTimeoutS = 1;

Result<std::unique_ptr<DbConnection>> Connect(const DbServer& server, const DbAccount& account, unsigned read_s = 2) {
  auto conn = DbConnection::Open(server, account, kConnectTimeoutS, read_s);
  if (!conn.ok()) return Error{conn.error().code, server.name + ": " + conn.error().message};
  return conn;
}

Status Run(const DbServer& server, const DbAccount& account, const std::string& sql, unsigned read_s = 2) {
  auto conn = Connect(server, account, read_s);
  if (!conn.ok()) return conn.error();
  auto r = (*conn)->Exec(sql);
  if (!r.ok()) return Error{r.error().code, server.name + ": " + r.error().message};
  return OkStatus();
}

Result<std::string> Scalar(DbConnection& conn, const std::string& sql) {
  auto sets = conn.Query(sql);
  if (!sets.ok()) return sets.error();
  if (sets->empty() || sets->front().rows.empty() || sets->front().rows[0].empty()) return std::string{};
  return sets->front().rows[0][0].value_or("");
}

}  // namespace

Result<FenceOutcome> Fence(const DbServer& server, const DbAccount& account, unsigned wait_s) {
  FenceOutcome outcome;
  // The request stays queued in the server while we wait for it: it goes ahead of any later
  // commit, which is what holds new writes off while the stuck ones are cleared.
  auto fencer = Connect(server, account, wait_s + 3);
  if (!fencer.ok()) return fencer.error();
  if (auto sent = (*fencer)->Send("SET GLOBAL read_only = 1"); !sent.ok())
    return Error{sent.error().code, server.name + ": " + sent.error().message};
  if (!(*fencer)->Answered(static_cast<int>(wait_s) * 1000)) {
    auto conn = Connect(server, account);
    if (!conn.ok()) return conn.error();
    // Commit followers first, the threads waiting for the acknowledgement last.
    auto sets = (*conn)->Query(
        "SELECT ID FROM information_schema.PROCESSLIST "
        "WHERE ID <> CONNECTION_ID() AND USER <> 'system user' "
        "AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Slave_IO', 'Slave_SQL', 'Slave_worker') "
        "AND COALESCE(INFO, '') NOT LIKE 'SET GLOBAL read_only%' "
        "ORDER BY STATE = 'Waiting for semi-sync ACK from slave', ID");
    if (!sets.ok()) return Error{sets.error().code, server.name + ": " + sets.error().message};
    for (const auto& row : sets->front().rows)
      if (row[0] && (*conn)->Exec("KILL CONNECTION " + *row[0]).ok()) ++outcome.killed;
  }
  if (auto done = (*fencer)->Finish(); !done.ok())
    return Error{done.error().code, fmt::format("{}: read_only=1 failed after killing {} connections: {}", server.name,
                                                outcome.killed, done.error().message)};
  if (auto off = (*fencer)->Exec("SET GLOBAL rpl_semi_sync_master_enabled = 0"); !off.ok())
    return Error{off.error().code, server.name + ": " + off.error().message};
  return outcome;
}

Status StopReceiving(const DbServer& server, const DbAccount& account) {
  // It waits for a connection attempt in progress (bounded by slave_net_timeout).
  return Run(server, account, "STOP SLAVE IO_THREAD", 6);
}

Result<std::string> ApplyRelayLog(const DbServer& server, const DbAccount& account, unsigned timeout_s) {
  auto conn = Connect(server, account, timeout_s + 2);
  if (!conn.ok()) return conn.error();
  auto sets = (*conn)->Query("SHOW SLAVE STATUS");
  if (!sets.ok()) return Error{sets.error().code, server.name + ": " + sets.error().message};
  if (sets->empty() || sets->front().rows.empty()) return Scalar(**conn, "SELECT @@global.gtid_current_pos");
  const ResultSet& status = sets->front();
  const std::string received = status.Get(0, "Gtid_IO_Pos").value_or("");
  if (status.Get(0, "Slave_SQL_Running").value_or("") != "Yes") {
    const std::string error = status.Get(0, "Last_SQL_Error").value_or("");
    if (!error.empty()) return Error{0, server.name + ": the SQL thread stopped: " + error};
    // Stopped cleanly (an earlier attempt got this far): run it to apply the relay log.
    if (auto r = (*conn)->Exec("START SLAVE SQL_THREAD"); !r.ok())
      return Error{r.error().code, server.name + ": " + r.error().message};
  }
  if (!received.empty()) {
    auto waited = Scalar(**conn, fmt::format("SELECT MASTER_GTID_WAIT({}, {})", SqlString(received), timeout_s));
    if (!waited.ok()) return Error{waited.error().code, server.name + ": " + waited.error().message};
    if (*waited != "0")
      return Error{0, fmt::format("{}: relay log not applied within {} s (received {})", server.name, timeout_s, received)};
  }
  return Scalar(**conn, "SELECT @@global.gtid_current_pos");
}

Status Detach(const DbServer& server, const DbAccount& account) {
  return Run(server, account, "STOP SLAVE; RESET SLAVE ALL", 6);
}

Status OpenForWrites(const DbServer& server, const DbAccount& account, bool semi_sync) {
  return Run(server, account,
             fmt::format("SET GLOBAL rpl_semi_sync_master_enabled = {}; SET GLOBAL read_only = 0", semi_sync ? 1 : 0));
}

Status SetSemiSyncMaster(const DbServer& server, const DbAccount& account, bool on) {
  return Run(server, account, fmt::format("SET GLOBAL rpl_semi_sync_master_enabled = {}", on ? 1 : 0));
}

Status ReplicateFrom(const DbServer& server, const DbAccount& account, const DbServer& primary,
                     const DbAccount& replication, bool former_primary) {
  std::string sql = "STOP SLAVE; SET GLOBAL rpl_semi_sync_master_enabled = 0; ";
  if (former_primary) sql += "SET GLOBAL gtid_slave_pos = @@global.gtid_current_pos; ";
  sql += fmt::format(
      "CHANGE MASTER TO MASTER_HOST = {}, MASTER_PORT = {}, MASTER_USER = {}, MASTER_PASSWORD = {}, "
      "MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_HEARTBEAT_PERIOD = 0.5{}; START SLAVE",
      SqlString(primary.address), primary.port, SqlString(replication.user), SqlString(replication.password),
      db_cluster::ChangeMasterTlsOptions(server.master_ssl_ca.empty() ? "" : SqlString(server.master_ssl_ca)));
  return Run(server, account, sql, 6);
}

Result<std::string> BinlogPosition(const DbServer& server, const DbAccount& account) {
  auto conn = Connect(server, account);
  if (!conn.ok()) return conn.error();
  return Scalar(**conn, "SELECT @@global.gtid_binlog_pos");
}

Result<ServerView> ProbeNow(const DbServer& server, const DbAccount& account) {
  auto conn = Connect(server, account);
  if (!conn.ok()) return conn.error();
  auto sets = (*conn)->Query(kProbeSql);
  if (!sets.ok()) return Error{sets.error().code, server.name + ": " + sets.error().message};
  return ParseServerView(*sets);
}

Status WaitForPosition(const DbServer& server, const DbAccount& account, const std::string& position,
                       unsigned timeout_s) {
  auto conn = Connect(server, account, timeout_s + 2);
  if (!conn.ok()) return conn.error();
  auto waited = Scalar(**conn, fmt::format("SELECT MASTER_GTID_WAIT({}, {})", SqlString(position), timeout_s));
  if (!waited.ok()) return Error{waited.error().code, server.name + ": " + waited.error().message};
  if (*waited != "0") return Error{0, fmt::format("{}: did not reach {} within {} s", server.name, position, timeout_s)};
  return OkStatus();
}

}  // namespace foobar::sentinel
