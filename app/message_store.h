// Where messages live. The real implementation is MariaDB-backed (MariaDbMessageStore);
// tests use an in-memory fake. Calls are awaitables that resume on the caller's executor.
// Errors carry the codes of db_errors.h; their messages are for logs, never for clients.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/asio_fwd.h"
#include "app/gtid.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Reads see at least the client's last write `last_write` (from its fb_rw cookie), when
  // given; without it they may lag behind the primary by up to replica_max_lag_s.

  // Up to `limit` messages, newest (highest id) first.
  virtual asio::awaitable<Result<std::vector<Message>>> ListNewest(
      int limit, std::optional<Gtid> last_write) = 0;

  // The message with `id`, or nullopt if there is none.
  virtual asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id,
                                                              std::optional<Gtid> last_write) = 0;

  // Stores `message` and returns it as stored (id and created_at filled in). With an
  // `idempotency_key` already used for the same author and body: the first result
  // (replayed); for another message: kDbErrIdempotencyConflict. kDbErrOutcomeUnknown when it
  // may or may not have been stored.
  virtual asio::awaitable<Result<StoredMessage>> Insert(
      NewMessage message, std::optional<std::string> idempotency_key) = 0;
};

}  // namespace foobar::app
