#include "ctl/lab/rejoin.h"

#include <thread>

#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/mariadb_backup.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/sentinel_request.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

fs::path RejoinLog(const LabContext& lab, const Host& host) {
  return lab.state.Host(host.name).Log() / "rejoin-backup.log";
}

}  // namespace

fs::path RejoinBackupDir(const LabContext& lab, const Host& host) {
  return lab.state.Host(host.name).Data() / "rejoin-copy";
}

void CopyPrimary(const LabContext& lab, const Host& primary, const Host& host) {
  // On the primary's host, as its root over its socket: the tool reads the primary's data
  // files while the server runs, and takes the binlog position under a brief backup lock.
  BackupRunningServer(lab, primary, RejoinBackupDir(lab, host), /*slave_info=*/false, RejoinLog(lab, host));
}

void PrepareCopy(const LabContext& lab, const Host& host) {
  PrepareBackupCopy(host, RejoinBackupDir(lab, host), RejoinLog(lab, host));
}

std::string InstallCopy(const LabContext& lab, const Host& host) {
  const fs::path copy = RejoinBackupDir(lab, host);
  const CopyPosition position = ReadCopyPosition(copy);
  InstallDataDirectory(lab, host, copy, "mysql.before-rejoin", /*move=*/true, RejoinLog(lab, host));
  return position.gtid;
}

void StartReplicatingAt(const LabContext& lab, const Host& host, const Host& primary, const std::string& position) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 10s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message);
  for (const std::string& sql : {std::string("STOP SLAVE"), std::string("RESET SLAVE ALL"),
                                 "SET GLOBAL gtid_slave_pos = " + SqlQuote(position), ReplicateFromSql(lab, host, primary)}) {
    auto r = (*conn)->Run(sql);
    if (!r.ok()) throw LabError("on " + host.name + ": " + r.error().message);
  }
}

void HandBackToSentinels(const LabContext& lab, const Host& host) {
  const auto reply = AskSentinelLeader(lab, "rejoined", host.name, 20s);
  if (!reply.ok) throw LabError("the sentinel leader refused: " + reply.message);
  // Full strength: the primary waits for this replica's acknowledgements again.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    const auto now = ReadClusterRecord(lab);
    if (now.semi_sync && now.IsInSync(host.name) && !now.IsFenced(host.name)) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError(host.name + " replicates, but the sentinels have not counted it in sync within 20 s");
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace foobar::ctl
