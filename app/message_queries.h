// The SQL of the messages table, as prepared statements run on one DbConnection.
// Blocking: call only from a database worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/db_connection.h"
#include "app/gtid.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

Result<std::vector<Message>> SelectNewestMessages(DbConnection& connection, int limit);
Result<std::optional<Message>> SelectMessage(DbConnection& connection, std::uint64_t id);

// Stores `message` (with `idempotency_key`, if any) on the primary. With a key that is
// already stored, returns that message (replayed) if author and body match, else
// kDbErrIdempotencyConflict. A connection failure after the INSERT was sent comes back as
// kDbErrOutcomeUnknown; every other error means nothing was stored.
Result<StoredMessage> InsertMessage(DbConnection& connection, const NewMessage& message,
                                    const std::optional<std::string>& idempotency_key);

// On a replica: SELECT IF(@@global.read_only = 1, MASTER_GTID_WAIT(gtid, timeout), -2), so
// the wait can never run on a server that has just become writable. nullopt for NULL.
Result<std::optional<long long>> WaitForGtid(DbConnection& connection, const Gtid& gtid,
                                             double timeout_s);

}  // namespace foobar::app
