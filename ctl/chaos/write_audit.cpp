#include "ctl/chaos/write_audit.h"

#include <map>

#include "ctl/lab/db_admin.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl::chaos {
namespace {

constexpr const char* kBodyPrefix = "chaos write ";
constexpr size_t kKeysPerQuery = 500;
constexpr size_t kKeysReported = 5;

}  // namespace

std::string WriteBody(const std::string& key) { return kBodyPrefix + key; }

WriteAudit AuditWrites(const std::vector<SentWrite>& writes, const std::vector<StoredRow>& rows) {
  std::map<std::string, std::vector<int64_t>> ids_by_key;
  for (const auto& row : rows) ids_by_key[row.key].push_back(row.id);
  WriteAudit audit;
  for (const auto& write : writes) {
    auto it = ids_by_key.find(write.key);
    const size_t stored = it == ids_by_key.end() ? 0 : it->second.size();
    if (write.acked) ++audit.acked;
    bool duplicate = stored > 1;
    if (write.acked && stored == 1 && write.id >= 0 && it->second.front() != write.id) duplicate = true;
    if (write.acked && stored == 0) {
      ++audit.lost;
      if (audit.lost_keys.size() < kKeysReported) audit.lost_keys.push_back(write.key);
    }
    if (duplicate) {
      ++audit.duplicates;
      if (audit.duplicate_keys.size() < kKeysReported) audit.duplicate_keys.push_back(write.key);
    }
    if (!write.acked && stored == 1) ++audit.stored_unacked;
  }
  return audit;
}

Result<std::vector<StoredRow>> FetchStoredWrites(AdminConnection& db, const std::vector<std::string>& keys) {
  const std::string table = std::string(kDatabaseName) + ".messages";
  auto columns = db.Run(
      "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = " + SqlQuote(kDatabaseName) +
      " AND table_name = 'messages' AND column_name = 'idempotency_key'");
  if (!columns.ok()) return columns.error();
  const bool by_key = !columns->rows.empty() && columns->rows[0][0] != "0";

  std::vector<StoredRow> rows;
  for (size_t first = 0; first < keys.size(); first += kKeysPerQuery) {
    std::string list;
    for (size_t i = first; i < std::min(keys.size(), first + kKeysPerQuery); ++i)
      list += (list.empty() ? "" : ",") + SqlQuote(by_key ? keys[i] : WriteBody(keys[i]));
    const std::string sql = by_key ? "SELECT idempotency_key, id FROM " + table + " WHERE idempotency_key IN (" + list + ")"
                                   : "SELECT body, id FROM " + table + " WHERE body IN (" + list + ")";
    auto result = db.Run(sql);
    if (!result.ok()) return result.error();
    for (const auto& row : result->rows) {
      StoredRow stored;
      stored.key = by_key ? row[0] : row[0].substr(std::string(kBodyPrefix).size());
      stored.id = std::stoll(row[1]);
      rows.push_back(std::move(stored));
    }
  }
  return rows;
}

}  // namespace foobar::ctl::chaos
