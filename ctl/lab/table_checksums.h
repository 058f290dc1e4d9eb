// What a backup's data is, table by table: the row count and CHECKSUM TABLE of every base
// table of the app's schema. Taken from a server holding exactly a backup's position, stored
// in the backup's manifest, and compared after a restore: the data came back whole.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/lab/db_admin.h"

namespace foobar::ctl {

struct TableChecksum {
  std::string table;  // name within the app's schema
  long long rows = 0;
  std::string checksum;  // CHECKSUM TABLE's value (a function of every row's content)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TableChecksum, table, rows, checksum)

// Every base table of the app's schema (kDatabaseName), in name order; throws LabError.
std::vector<TableChecksum> ChecksumAppTables(AdminConnection& db);

// "" when both list the same tables with the same counts and checksums; otherwise what differs,
// e.g. "messages: 120 rows, checksum 123 (expected 118 rows, checksum 456)".
std::string CompareTableChecksums(const std::vector<TableChecksum>& expected, const std::vector<TableChecksum>& actual);

}  // namespace foobar::ctl
