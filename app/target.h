// Request-target parsing: split path and query, read query parameters, and parse the two
// numbers the API takes from a URL (a message id and a list limit). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace foobar::app {

inline constexpr int kDefaultListLimit = 20;
inline constexpr int kMaxListLimit = 100;

struct Target {
  std::string_view path;   // never empty for origin-form targets
  std::string_view query;  // without the '?', empty if none
};

// Splits an origin-form target ("/a/b?x=1#frag") into path and query; a fragment, which
// clients should not send, is dropped.
Target SplitTarget(std::string_view target);

// The percent-decoded value of query parameter `name`, nullopt if absent. Errors when the
// parameter is given twice (ambiguous) or its encoding is malformed.
Result<std::optional<std::string>> QueryParam(std::string_view query, std::string_view name);

// A message id: decimal digits only, 1..2^64-1. "0", "-1", "abc", "1e3", overflow fail.
Result<std::uint64_t> ParseMessageId(std::string_view text);

// The `limit` of a list request: absent means kDefaultListLimit; otherwise decimal
// digits only with a value in 1..kMaxListLimit.
Result<int> ParseLimit(const std::optional<std::string>& text);

}  // namespace foobar::app
