// The SQL of the messages table, as prepared statements run on one DbConnection.
// Blocking: call only from a database worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/db_connection.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

Result<std::vector<Message>> SelectNewestMessages(DbConnection& connection, int limit);
Result<std::optional<Message>> SelectMessage(DbConnection& connection, std::uint64_t id);
Result<Message> InsertMessage(DbConnection& connection, const NewMessage& message);

}  // namespace foobar::app
