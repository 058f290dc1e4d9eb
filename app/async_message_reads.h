// The messages table's reads (message_rows.h) on an event-loop connection: the same prepared
// statements and row handling as the worker pools' SelectMessage/SelectNewestMessages.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/asio_fwd.h"
#include "app/async_db_connection.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

asio::awaitable<Result<std::optional<Message>>> SelectMessageOnLoop(AsyncDbConnection& connection,
                                                                    std::uint64_t id);
asio::awaitable<Result<std::vector<Message>>> SelectNewestMessagesOnLoop(
    AsyncDbConnection& connection, std::uint64_t limit);

}  // namespace foobar::app
