#include "app/message_rows.h"

#include <cstring>
#include <memory>

#include "app/db_connection.h"
#include "app/db_errors.h"
#include "app/time_format.h"

namespace foobar::app {
namespace {

constexpr std::size_t kAuthorBytes = 64 * 4;
constexpr std::size_t kBodyBytes = 65535;
constexpr std::size_t kExtraBytes = 256;

// Output buffers for one (id, author, body, created_at[, extra]) row. Heap-allocated:
// 64 KiB is too much for a worker's stack to carry per call.
struct RowBuffers {
  unsigned long long id = 0;
  char author[kAuthorBytes];
  char body[kBodyBytes];
  char extra[kExtraBytes];
  unsigned long author_length = 0;
  unsigned long body_length = 0;
  unsigned long extra_length = 0;
  MYSQL_TIME created_at{};
  my_bool is_null[5] = {};
  my_bool error[5] = {};
  MYSQL_BIND bind[5];

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
    bind[4].buffer_type = MYSQL_TYPE_STRING;
    bind[4].buffer = extra;
    bind[4].buffer_length = sizeof(extra);
    bind[4].length = &extra_length;
    for (int i = 0; i < 5; ++i) {
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

  // The fifth column, unless NULL or cut short.
  std::optional<std::string> Extra() const {
    if (is_null[4] || error[4] || extra_length > sizeof(extra)) return std::nullopt;
    return std::string(extra, extra_length);
  }
};

}  // namespace

Result<std::vector<MessageRow>> FetchMessageRows(MYSQL_STMT* stmt, unsigned columns,
                                                 const DbEndpoint& endpoint) {
  auto row = std::make_unique<RowBuffers>();
  if (mysql_stmt_field_count(stmt) != columns || mysql_stmt_bind_result(stmt, row->bind) != 0) {
    mysql_stmt_free_result(stmt);
    return Error{kDbErrBadResult, "unexpected result shape"};
  }
  std::vector<MessageRow> rows;
  for (;;) {
    const int status = mysql_stmt_fetch(stmt);
    if (status == MYSQL_NO_DATA) break;
    if (status == 1) {
      Error error = HandleError(nullptr, stmt, endpoint);
      mysql_stmt_free_result(stmt);
      return error;
    }
    // Truncation of the extra column is reported by Extra(); of the others, an error.
    bool truncated = false;
    for (unsigned i = 0; i < 4; ++i) truncated = truncated || row->error[i];
    if (status == MYSQL_DATA_TRUNCATED && truncated) {
      mysql_stmt_free_result(stmt);
      return Error{kDbErrBadResult, "row larger than the column maxima"};
    }
    rows.push_back(MessageRow{row->ToMessage(), columns > 4 ? row->Extra() : std::nullopt});
  }
  mysql_stmt_free_result(stmt);
  return rows;
}

std::vector<Message> MessagesOf(std::vector<MessageRow> rows) {
  std::vector<Message> messages;
  messages.reserve(rows.size());
  for (auto& row : rows) messages.push_back(std::move(row.message));
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

}  // namespace foobar::app
