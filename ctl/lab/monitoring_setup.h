// The database side of monitoring: the account mysqld_exporter reads a MariaDB server with.
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// On `db` (a running MariaDB host): the account 'prometheus'@'localhost', authenticated by
// unix_socket (the exporter runs as the `prometheus` system user on the same host, so no password
// exists), with the rights to read status, variables and replication state:
//   GRANT PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'prometheus'@'localhost'
// Each server gets its own account outside the binary log: it never replicates and adds no GTID.
// Idempotent; throws LabError.
void SetUpMonitoringAccount(const LabContext& lab, const Host& db);

}  // namespace foobar::ctl
