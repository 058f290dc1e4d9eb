// The messages table's reads (message_rows.h) on an event-loop connection: the same prepared
// statements and row handling as the worker pools' SelectMessage/SelectNewestMessages, and
// reads of several ids at once (read_batches.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "app/asio_fwd.h"
#include "app/async_db_connection.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

// At most this many ids in one SelectMessagesOnLoop (a power of two).
inline constexpr std::size_t kMaxIdsPerSelect = 32;

// The messages with these ids (1 to kMaxIdsPerSelect of them, distinct), in any order; ids
// with no message are left out.
asio::awaitable<Result<std::vector<Message>>> SelectMessagesOnLoop(AsyncDbConnection& connection,
                                                                   std::vector<std::uint64_t> ids);

asio::awaitable<Result<std::vector<Message>>> SelectNewestMessagesOnLoop(
    AsyncDbConnection& connection, std::uint64_t limit);

}  // namespace foobar::app
