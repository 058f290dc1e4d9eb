// Only printable ASCII: the key is stored in an ASCII column, compared byte for byte, and
// may be echoed in logs, so control characters and other bytes are refused up front.
#include "app/idempotency_key.h"

#include <algorithm>

namespace foobar::app {

Result<std::optional<std::string>> ParseIdempotencyKey(const std::vector<std::string>& values) {
  if (values.empty()) return std::optional<std::string>{};
  if (values.size() > 1) return Error{400, "Idempotency-Key must be sent once"};
  const std::string& key = values.front();
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) <= 0x7E;
  });
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength || !printable) {
    return Error{400, "Idempotency-Key must be 1-128 printable ASCII characters"};
  }
  return std::optional<std::string>(key);
}

}  // namespace foobar::app
