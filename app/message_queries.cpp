// Prepared statements for messages. Result buffers are sized for the column maxima
// (VARCHAR(64) utf8mb4 = 256 bytes, TEXT = 65535 bytes), so rows written by other tools
// cannot be truncated. INSERT ... RETURNING (MariaDB >= 10.5) gives id and created_at in
// the same round trip as the insert.
#include "app/message_queries.h"

#include <cstring>
#include <memory>

#include "app/db_errors.h"
#include "app/time_format.h"

namespace foobar::app {
namespace {

enum StatementId : std::size_t { kSelectNewest, kSelectById, kInsert };

constexpr const char* kSelectNewestSql =
    "SELECT id, author, body, created_at FROM messages ORDER BY id DESC LIMIT ?";
constexpr const char* kSelectByIdSql =
    "SELECT id, author, body, created_at FROM messages WHERE id = ?";
constexpr const char* kInsertSql =
    "INSERT INTO messages (author, body) VALUES (?, ?) RETURNING id, author, body, created_at";

constexpr std::size_t kAuthorBytes = 64 * 4;
constexpr std::size_t kBodyBytes = 65535;

// Output buffers for one (id, author, body, created_at) row. Heap-allocated: 64 KiB is
// too much for a worker's stack to carry per call.
struct RowBuffers {
  unsigned long long id = 0;
  char author[kAuthorBytes];
  char body[kBodyBytes];
  unsigned long author_length = 0;
  unsigned long body_length = 0;
  MYSQL_TIME created_at{};
  my_bool is_null[4] = {};
  my_bool error[4] = {};
  MYSQL_BIND bind[4];

  RowBuffers() {
    std::memset(bind, 0, sizeof(bind));
    bind[0].buffer_type = MYSQL_TYPE_LONGLONG;
    bind[0].buffer = &id;
    bind[0].is_unsigned = 1;
    bind[1].buffer_type = MYSQL_TYPE_STRING;
    bind[1].buffer = author;
    bind[1].buffer_length = sizeof(author);
    bind[1].length = &author_length;
    bind[2].buffer_type = MYSQL_TYPE_STRING;
    bind[2].buffer = body;
    bind[2].buffer_length = sizeof(body);
    bind[2].length = &body_length;
    bind[3].buffer_type = MYSQL_TYPE_DATETIME;
    bind[3].buffer = &created_at;
    for (int i = 0; i < 4; ++i) {
      bind[i].is_null = &is_null[i];
      bind[i].error = &error[i];
    }
  }

  Message ToMessage() const {
    const CivilTime time{created_at.year,
                         created_at.month,
                         created_at.day,
                         created_at.hour,
                         created_at.minute,
                         created_at.second,
                         static_cast<unsigned>(created_at.second_part / 1000)};
    return Message{id, std::string(author, author_length), std::string(body, body_length),
                   FormatIsoUtc(time)};
  }
};

// Executes `stmt` (parameters already bound) and reads every row.
Result<std::vector<Message>> ExecuteAndFetch(DbConnection& connection, MYSQL_STMT* stmt) {
  if (mysql_stmt_execute(stmt) != 0) return connection.LastError(stmt);
  auto row = std::make_unique<RowBuffers>();
  if (mysql_stmt_field_count(stmt) != 4 || mysql_stmt_bind_result(stmt, row->bind) != 0) {
    mysql_stmt_free_result(stmt);
    return Error{kDbErrBadResult, "unexpected result shape"};
  }
  std::vector<Message> messages;
  for (;;) {
    const int status = mysql_stmt_fetch(stmt);
    if (status == MYSQL_NO_DATA) break;
    if (status == 1) {
      Error error = connection.LastError(stmt);
      mysql_stmt_free_result(stmt);
      return error;
    }
    if (status == MYSQL_DATA_TRUNCATED) {
      mysql_stmt_free_result(stmt);
      return Error{kDbErrBadResult, "row larger than the column maxima"};
    }
    messages.push_back(row->ToMessage());
  }
  return messages;
}

MYSQL_BIND IntegerParam(unsigned long long& value, bool is_unsigned) {
  MYSQL_BIND bind;
  std::memset(&bind, 0, sizeof(bind));
  bind.buffer_type = MYSQL_TYPE_LONGLONG;
  bind.buffer = &value;
  bind.is_unsigned = is_unsigned ? 1 : 0;
  return bind;
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

Result<Message> InsertMessage(DbConnection& connection, const NewMessage& message) {
  auto stmt = connection.Statement(kInsert, kInsertSql);
  if (!stmt.ok()) return stmt.error();
  unsigned long lengths[2];
  MYSQL_BIND params[2] = {StringParam(message.author, lengths[0]),
                          StringParam(message.body, lengths[1])};
  if (mysql_stmt_bind_param(*stmt, params) != 0) return connection.LastError(*stmt);
  auto rows = ExecuteAndFetch(connection, *stmt);
  if (!rows.ok()) return rows.error();
  if (rows->size() != 1) return Error{kDbErrBadResult, "INSERT RETURNING gave no row"};
  return std::move(rows->front());
}

}  // namespace foobar::app
