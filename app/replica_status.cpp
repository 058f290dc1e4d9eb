// SHOW ALL SLAVES STATUS through the prepared-statement protocol (MariaDB 10.11 prepares it:
// checked here, 62 columns). Columns are found by name, not position, so that a server
// version adding columns does not break the probe; every column is read as text.
#include "app/replica_status.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

#include "app/db_errors.h"

namespace foobar::app {
namespace {

constexpr const char* kShowAllSlavesStatusSql = "SHOW ALL SLAVES STATUS";
// Longer values (Executed_Gtid_Set, Last_Error...) are truncated: we never read them.
constexpr std::size_t kColumnBytes = 512;

std::optional<long long> ParseSeconds(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  long long value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

// Output buffers for a row of `count` text columns.
struct TextRowBuffers {
  explicit TextRowBuffers(std::size_t count)
      : data(count * kColumnBytes), lengths(count), is_null(count), error(count), bind(count) {
    for (std::size_t i = 0; i < count; ++i) {
      std::memset(&bind[i], 0, sizeof(MYSQL_BIND));
      bind[i].buffer_type = MYSQL_TYPE_STRING;
      bind[i].buffer = &data[i * kColumnBytes];
      bind[i].buffer_length = kColumnBytes;
      bind[i].length = &lengths[i];
      bind[i].is_null = &is_null[i];
      bind[i].error = &error[i];
    }
  }

  std::optional<std::string> Value(std::size_t i) const {
    if (is_null[i]) return std::nullopt;
    return std::string(&data[i * kColumnBytes], std::min<std::size_t>(lengths[i], kColumnBytes));
  }

  std::vector<char> data;
  std::vector<unsigned long> lengths;
  std::vector<my_bool> is_null;
  std::vector<my_bool> error;
  std::vector<MYSQL_BIND> bind;
};

}  // namespace

ReplicationHealth SummarizeReplication(const std::vector<ReplicationChannel>& channels) {
  ReplicationHealth health;
  if (channels.empty()) return health;
  health.replicating = std::all_of(channels.begin(), channels.end(), [](const auto& channel) {
    return channel.io_running == "Yes" && channel.sql_running == "Yes";
  });
  long long lag = 0;
  for (const auto& channel : channels) {
    if (!channel.seconds_behind) return health;  // unknown lag: lag_s stays nullopt
    lag = std::max(lag, *channel.seconds_behind);
  }
  health.lag_s = lag;
  return health;
}

Result<std::vector<ReplicationChannel>> QueryReplicationChannels(DbConnection& connection,
                                                                 std::size_t statement_id) {
  auto stmt = connection.Statement(statement_id, kShowAllSlavesStatusSql);
  if (!stmt.ok()) return stmt.error();
  if (mysql_stmt_execute(*stmt) != 0) return connection.LastError(*stmt);

  const unsigned count = mysql_stmt_field_count(*stmt);
  MYSQL_RES* metadata = mysql_stmt_result_metadata(*stmt);
  if (metadata == nullptr || count == 0) {
    if (metadata != nullptr) mysql_free_result(metadata);
    mysql_stmt_free_result(*stmt);
    return Error{kDbErrBadResult, "SHOW ALL SLAVES STATUS gave no columns"};
  }
  int io_column = -1, sql_column = -1, lag_column = -1;
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata);
  for (unsigned i = 0; i < count; ++i) {
    const std::string_view name = fields[i].name;
    if (name == "Slave_IO_Running") io_column = static_cast<int>(i);
    if (name == "Slave_SQL_Running") sql_column = static_cast<int>(i);
    if (name == "Seconds_Behind_Master") lag_column = static_cast<int>(i);
  }
  mysql_free_result(metadata);
  auto row = std::make_unique<TextRowBuffers>(count);
  if (io_column < 0 || sql_column < 0 || lag_column < 0 ||
      mysql_stmt_bind_result(*stmt, row->bind.data()) != 0) {
    mysql_stmt_free_result(*stmt);
    return Error{kDbErrBadResult, "SHOW ALL SLAVES STATUS lacks the expected columns"};
  }

  std::vector<ReplicationChannel> channels;
  for (;;) {
    const int status = mysql_stmt_fetch(*stmt);
    if (status == MYSQL_NO_DATA) break;
    if (status == 1) {
      Error error = connection.LastError(*stmt);
      mysql_stmt_free_result(*stmt);
      return error;
    }
    // MYSQL_DATA_TRUNCATED only concerns long columns we do not read.
    channels.push_back(
        ReplicationChannel{row->Value(static_cast<std::size_t>(io_column)).value_or(""),
                           row->Value(static_cast<std::size_t>(sql_column)).value_or(""),
                           ParseSeconds(row->Value(static_cast<std::size_t>(lag_column)))});
  }
  return channels;
}

}  // namespace foobar::app
