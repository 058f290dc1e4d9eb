// The guestbook message as the application sees it, independent of storage and JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/gtid.h"

namespace foobar::app {

// A message as stored: `created_at` is already formatted ISO-8601 UTC with milliseconds
// ("2026-11-26T15:13:21.123Z") because that is the only form anything downstream needs.
struct Message {
  std::uint64_t id = 0;
  std::string author;
  std::string body;
  std::string created_at;

  bool operator==(const Message&) const = default;
};

// A message accepted by validation and not yet stored.
struct NewMessage {
  std::string author;
  std::string body;
};

// A message as a write left it.
struct StoredMessage {
  Message message;
  // The GTID the client's later reads must wait for, when known: the insert's own or, for
  // a replay, the primary's whole position (which includes the first insert).
  std::optional<Gtid> gtid;
  bool replayed = false;  // an earlier request with the same Idempotency-Key stored it
};

}  // namespace foobar::app
