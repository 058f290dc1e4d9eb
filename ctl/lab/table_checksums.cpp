#include "ctl/lab/table_checksums.h"

#include <fmt/format.h>

#include <map>

#include "ctl/lab/lab_error.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

std::vector<TableChecksum> ChecksumAppTables(AdminConnection& db) {
  const std::string schema = kDatabaseName;
  auto tables = db.Run("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + SqlQuote(schema) +
                       " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
  if (!tables.ok()) throw LabError("listing the tables of " + schema + " failed: " + tables.error().message);
  std::vector<TableChecksum> out;
  for (const auto& row : tables->rows) {
    const std::string name = "`" + schema + "`.`" + row[0] + "`";
    auto count = db.Run("SELECT COUNT(*) FROM " + name);
    auto sum = db.Run("CHECKSUM TABLE " + name);
    if (!count.ok() || !sum.ok() || count->rows.empty() || sum->rows.empty() || sum->rows[0].size() < 2)
      throw LabError("checksumming " + name + " failed: " +
                     (!count.ok() ? count.error().message : !sum.ok() ? sum.error().message : "no result"));
    out.push_back({row[0], std::stoll(count->rows[0][0]), sum->rows[0][1]});
  }
  return out;
}

std::string CompareTableChecksums(const std::vector<TableChecksum>& expected, const std::vector<TableChecksum>& actual) {
  std::map<std::string, const TableChecksum*> seen;
  for (const auto& t : actual) seen[t.table] = &t;
  std::string out;
  auto add = [&out](const std::string& text) { out += (out.empty() ? "" : "; ") + text; };
  for (const auto& want : expected) {
    auto it = seen.find(want.table);
    if (it == seen.end()) {
      add(want.table + " is missing");
      continue;
    }
    const TableChecksum& got = *it->second;
    if (got.rows != want.rows || got.checksum != want.checksum)
      add(fmt::format("{}: {} rows, checksum {} (expected {} rows, checksum {})", want.table, got.rows, got.checksum,
                      want.rows, want.checksum));
    seen.erase(it);
  }
  for (const auto& [name, table] : seen) add(name + " is not in the backup");
  return out;
}

}  // namespace foobar::ctl
