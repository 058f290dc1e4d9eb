#include "ctl/lab/monitoring_setup.h"

#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/render/monitoring.h"

namespace foobar::ctl {
using namespace std::chrono_literals;

void SetUpMonitoringAccount(const LabContext& lab, const Host& db) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, db), 10s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + db.name + ": " + conn.error().message);
  const std::string account = std::string("'") + kMonitoringUser + "'@'localhost'";
  for (const std::string& sql : {
           // This session only: the account is the server's own (a replica that received it too
           // would stop on the duplicate when it runs the same statement itself).
           std::string("SET SESSION sql_log_bin = 0"),
           "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED VIA unix_socket",
           // PROCESS: SHOW ENGINE INNODB STATUS and the process list; BINLOG MONITOR: SHOW
           // BINARY LOGS; SLAVE MONITOR: SHOW SLAVE STATUS (replication threads and lag).
           "GRANT PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO " + account,
       }) {
    auto r = (*conn)->Run(sql);
    if (!r.ok()) throw LabError("monitoring account on " + db.name + ": " + r.error().message);
  }
}

}  // namespace foobar::ctl
