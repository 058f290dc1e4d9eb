// The messages table's read statements and how their rows are read, shared by the blocking
// queries on the database workers (message_queries.h) and the event-loop reads
// (async_message_reads.h). Result buffers are sized for the column maxima (VARCHAR(64)
// utf8mb4 = 256 bytes, TEXT = 65535 bytes), so rows written by other tools cannot be truncated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <mysql.h>

#include "app/config.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

inline constexpr const char* kSelectNewestSql =
    "SELECT id, author, body, created_at FROM messages ORDER BY id DESC LIMIT ?";
inline constexpr const char* kSelectByIdSql =
    "SELECT id, author, body, created_at FROM messages WHERE id = ?";

// A fetched row: the message and, for statements with a fifth column, its text.
struct MessageRow {
  Message message;
  std::optional<std::string> extra;
};

// Reads every row of an executed `stmt` (its result streamed or already stored) with
// `columns` columns (4, or 5 with an extra text), then frees the result. Errors name `endpoint`.
Result<std::vector<MessageRow>> FetchMessageRows(MYSQL_STMT* stmt, unsigned columns,
                                                 const DbEndpoint& endpoint);

// Only the messages of `rows`.
std::vector<Message> MessagesOf(std::vector<MessageRow> rows);

// An integer input parameter bound to `value`.
MYSQL_BIND IntegerParam(unsigned long long& value, bool is_unsigned);

}  // namespace foobar::app
