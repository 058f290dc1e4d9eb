// `foobar sql HOST 'STATEMENT'`: run SQL as the admin on a host's MariaDB; rows go to
// stdout tab-separated, one per line, without a header (easy to use in scripts).
#include <cstdio>

#include "ctl/commands/commands.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
using namespace std::chrono_literals;

int SqlCommand(const std::string& host_name, const std::string& statement) {
  LabContext lab = RequireRecordedLab();
  const Host& host = lab.HostNamed(host_name);
  CheckHostRuns(host, "mariadb");
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 2s);
  if (!conn.ok())
    throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message +
                   " (is it running? `foobar status`)");
  auto result = (*conn)->Run(statement);
  if (!result.ok())
    throw LabError("ERROR " + std::to_string(result.error().code) + ": " + result.error().message);
  for (const auto& row : result->rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

}  // namespace foobar::ctl
