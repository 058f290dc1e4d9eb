// Where messages live. The real implementation is MariaDB-backed (MariaDbMessageStore);
// tests use an in-memory fake. Calls are awaitables that resume on the caller's executor.
// Any error means "storage unavailable": its message is for logs, never for clients.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/asio_fwd.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Up to `limit` messages, newest (highest id) first.
  virtual asio::awaitable<Result<std::vector<Message>>> ListNewest(int limit) = 0;

  // The message with `id`, or nullopt if there is none.
  virtual asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id) = 0;

  // Stores `message` and returns it as stored (id and created_at filled in).
  virtual asio::awaitable<Result<Message>> Insert(NewMessage message) = 0;
};

}  // namespace foobar::app
