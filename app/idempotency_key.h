// The Idempotency-Key request header of POST /api/messages: a client-chosen name for one
// logical write. A retried POST with the same key returns the first result instead of
// storing the message again (see schema/002_idempotency_key.sql for the unique index that
// makes this hold across app servers and failovers).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace foobar::app {

inline constexpr std::size_t kMaxIdempotencyKeyLength = 128;  // the column is VARCHAR(128)

// `values`: every Idempotency-Key field of the request, in order. None: no key (nullopt).
// Exactly one of 1..128 printable ASCII characters (0x20..0x7E): the key. Anything else is
// an Error whose message is safe to return with 400.
Result<std::optional<std::string>> ParseIdempotencyKey(const std::vector<std::string>& values);

}  // namespace foobar::app
