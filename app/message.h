// The guestbook message as the application sees it, independent of storage and JSON.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace foobar::app
