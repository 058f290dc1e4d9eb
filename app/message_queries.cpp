// Prepared statements for messages, run blocking on a database worker (rows: message_rows.h).
//
// The insert is a plain INSERT, not INSERT ... RETURNING, followed by a primary-key SELECT
// of the new row on the same connection: only an OK packet carries the session's last_gtid
// (see DbConnection::TrackedLastGtid), and read-your-writes needs that GTID. Same two round
// trips as RETURNING + SELECT @@last_gtid, and no extra statement on the common path.
#include "app/message_queries.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <cstring>
#include <memory>

#include "app/db_errors.h"
#include "app/message_rows.h"

namespace foobar::app {
namespace {

// Statement slots of a pool connection.
enum StatementId : std::size_t { kSelectNewest, kSelectById, kInsert, kSelectByKey, kGtidWait };

constexpr const char* kInsertSql =
    "INSERT INTO messages (author, body, idempotency_key) VALUES (?, ?, ?)";
// The primary's binlog position comes along: it covers the first insert of this key, so a
// replayed answer can hand the client a GTID to read its write at.
constexpr const char* kSelectByKeySql =
    "SELECT id, author, body, created_at, @@global.gtid_binlog_pos FROM messages "
    "WHERE idempotency_key = ?";
constexpr const char* kGtidWaitSql =
    "SELECT IF(@@global.read_only = 1, MASTER_GTID_WAIT(?, ?), -2)";

// Executes `stmt` (parameters already bound) and reads every row of its `columns` (4 or 5).
Result<std::vector<MessageRow>> ExecuteAndFetchRows(DbConnection& connection, MYSQL_STMT* stmt,
                                                    unsigned columns) {
  if (mysql_stmt_execute(stmt) != 0) return connection.LastError(stmt);
  return FetchMessageRows(stmt, columns, connection.endpoint());
}

Result<std::vector<Message>> ExecuteAndFetch(DbConnection& connection, MYSQL_STMT* stmt) {
  auto rows = ExecuteAndFetchRows(connection, stmt, 4);
  if (!rows.ok()) return rows.error();
  return MessagesOf(std::move(*rows));
}

MYSQL_BIND StringParam(const std::string& value, unsigned long& length) {
  MYSQL_BIND bind;
  std::memset(&bind, 0, sizeof(bind));
  length = static_cast<unsigned long>(value.size());
  bind.buffer_type = MYSQL_TYPE_STRING;
  bind.buffer = const_cast<char*>(value.data());  // Connector/C only reads input buffers
  bind.buffer_length = length;
  bind.length = &length;
  return bind;
}

MYSQL_BIND NullParam() {
  MYSQL_BIND bind;
  std::memset(&bind, 0, sizeof(bind));
  bind.buffer_type = MYSQL_TYPE_NULL;
  return bind;
}

// An INSERT that failed after it reached the server's socket may have committed: unless
// the request provably never left (CR_SERVER_GONE_ERROR is set when the command could not
// be written), a connection-level failure becomes kDbErrOutcomeUnknown.
Error InsertFailure(Error error) {
  if (ClassifyDbError(error.code) == DbErrorKind::kConnection &&
      error.code != CR_SERVER_GONE_ERROR) {
    return Error{kDbErrOutcomeUnknown,
                 "INSERT sent, then (errno " + std::to_string(error.code) + ") " + error.message};
  }
  return error;
}

// The answer to a repeated Idempotency-Key: the message stored under it, if it is the same.
Result<StoredMessage> ReplayByKey(DbConnection& connection, const NewMessage& message,
                                  const std::string& key) {
  auto stmt = connection.Statement(kSelectByKey, kSelectByKeySql);
  if (!stmt.ok()) return stmt.error();
  unsigned long length = 0;
  MYSQL_BIND param = StringParam(key, length);
  if (mysql_stmt_bind_param(*stmt, &param) != 0) return connection.LastError(*stmt);
  auto rows = ExecuteAndFetchRows(connection, *stmt, 5);
  if (!rows.ok()) return rows.error();
  if (rows->size() != 1) return Error{kDbErrBadResult, "duplicate key, but no row with it"};
  MessageRow& row = rows->front();
  if (row.message.author != message.author || row.message.body != message.body) {
    return Error{kDbErrIdempotencyConflict, "Idempotency-Key used for another message"};
  }
  std::optional<Gtid> gtid;
  if (row.extra) gtid = ParseGtid(*row.extra);  // a multi-domain position gives none
  return StoredMessage{std::move(row.message), gtid, true};
}

}  // namespace

Result<std::vector<Message>> SelectNewestMessages(DbConnection& connection, int limit) {
  auto stmt = connection.Statement(kSelectNewest, kSelectNewestSql);
  if (!stmt.ok()) return stmt.error();
  unsigned long long value = static_cast<unsigned long long>(limit);
  MYSQL_BIND param = IntegerParam(value, true);
  if (mysql_stmt_bind_param(*stmt, &param) != 0) return connection.LastError(*stmt);
  return ExecuteAndFetch(connection, *stmt);
}

Result<std::optional<Message>> SelectMessage(DbConnection& connection, std::uint64_t id) {
  auto stmt = connection.Statement(kSelectById, kSelectByIdSql);
  if (!stmt.ok()) return stmt.error();
  unsigned long long value = id;
  MYSQL_BIND param = IntegerParam(value, true);
  if (mysql_stmt_bind_param(*stmt, &param) != 0) return connection.LastError(*stmt);
  auto rows = ExecuteAndFetch(connection, *stmt);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Message>{};
  return std::optional<Message>(std::move(rows->front()));
}

Result<StoredMessage> InsertMessage(DbConnection& connection, const NewMessage& message,
                                    const std::optional<std::string>& idempotency_key) {
  auto stmt = connection.Statement(kInsert, kInsertSql);
  if (!stmt.ok()) return stmt.error();  // nothing sent yet
  unsigned long lengths[3];
  MYSQL_BIND params[3] = {
      StringParam(message.author, lengths[0]), StringParam(message.body, lengths[1]),
      idempotency_key ? StringParam(*idempotency_key, lengths[2]) : NullParam()};
  if (mysql_stmt_bind_param(*stmt, params) != 0) return connection.LastError(*stmt);
  if (mysql_stmt_execute(*stmt) != 0) {
    Error error = connection.LastError(*stmt);
    if (error.code == ER_DUP_ENTRY && idempotency_key) {
      return ReplayByKey(connection, message, *idempotency_key);
    }
    return InsertFailure(std::move(error));
  }
  // Straight from this statement's OK packet (nothing else has run on the connection since).
  const std::optional<Gtid> gtid = ParseGtid(connection.TrackedLastGtid());
  const std::uint64_t id = mysql_stmt_insert_id(*stmt);

  // Stored. A failure from here on must not read as "not stored".
  auto row = SelectMessage(connection, id);
  if (!row.ok() || !row->has_value()) {
    const std::string why = row.ok() ? "no row" : row.error().message;
    return Error{kDbErrOutcomeUnknown,
                 "stored as id " + std::to_string(id) + ", then reading it back failed: " + why};
  }
  return StoredMessage{std::move(**row), gtid, false};
}

Result<std::optional<long long>> WaitForGtid(DbConnection& connection, const Gtid& gtid,
                                             double timeout_s) {
  auto stmt = connection.Statement(kGtidWait, kGtidWaitSql);
  if (!stmt.ok()) return stmt.error();
  const std::string gtid_text = FormatGtid(gtid);
  unsigned long length = 0;
  MYSQL_BIND params[2] = {StringParam(gtid_text, length), MYSQL_BIND{}};
  std::memset(&params[1], 0, sizeof(MYSQL_BIND));
  params[1].buffer_type = MYSQL_TYPE_DOUBLE;
  params[1].buffer = &timeout_s;
  if (mysql_stmt_bind_param(*stmt, params) != 0) return connection.LastError(*stmt);
  if (mysql_stmt_execute(*stmt) != 0) return connection.LastError(*stmt);
  long long value = 0;
  my_bool is_null = 0;
  MYSQL_BIND result;
  std::memset(&result, 0, sizeof(result));
  result.buffer_type = MYSQL_TYPE_LONGLONG;
  result.buffer = &value;
  result.is_null = &is_null;
  if (mysql_stmt_bind_result(*stmt, &result) != 0) {
    mysql_stmt_free_result(*stmt);
    return connection.LastError(*stmt);
  }
  const int status = mysql_stmt_fetch(*stmt);
  if (status != 0 && status != MYSQL_DATA_TRUNCATED) {
    Error error = status == 1 ? connection.LastError(*stmt) : Error{kDbErrBadResult, "no row"};
    mysql_stmt_free_result(*stmt);
    return error;
  }
  while (mysql_stmt_fetch(*stmt) == 0) {
  }
  if (is_null) return std::optional<long long>{};
  return std::optional<long long>(value);
}

}  // namespace foobar::app
