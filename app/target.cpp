// Request-target parsing. Numbers are parsed by hand (digits only) because strtoull and
// friends accept signs, spaces and hex, all of which must be 400 here.
#include "app/target.h"

#include <limits>

namespace foobar::app {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte.
Result<std::string> DecodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {  // needs two hex digits after '%'
        return Error{400, "malformed percent-encoding in query"};
      }
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return Error{400, "malformed percent-encoding in query"};
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Parses a non-empty run of ASCII digits into a uint64_t; nullopt on anything else.
std::optional<std::uint64_t> ParseDigits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;  // would overflow
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

Target SplitTarget(std::string_view target) {
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const auto question = target.find('?');
  if (question == std::string_view::npos) return Target{target, {}};
  return Target{target.substr(0, question), target.substr(question + 1)};
}

Result<std::optional<std::string>> QueryParam(std::string_view query, std::string_view name) {
  std::optional<std::string> found;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = DecodeComponent(pair.substr(0, eq));
    if (!key.ok()) return key.error();
    if (*key != name) continue;
    if (found) return Error{400, std::string(name) + " given more than once"};
    auto value =
        DecodeComponent(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!value.ok()) return value.error();
    found = std::move(*value);
  }
  return found;
}

Result<std::uint64_t> ParseMessageId(std::string_view text) {
  const auto value = ParseDigits(text);
  if (!value || *value == 0) return Error{400, "message id must be a positive integer"};
  return *value;
}

Result<int> ParseLimit(const std::optional<std::string>& text) {
  if (!text) return kDefaultListLimit;
  // At most 3 digits so that "0000000005" style padding cannot hide an overflow.
  const auto value = text->size() <= 3 ? ParseDigits(*text) : std::nullopt;
  if (!value || *value < 1 || *value > static_cast<std::uint64_t>(kMaxListLimit)) {
    return Error{400, "limit must be an integer from 1 to 100"};
  }
  return static_cast<int>(*value);
}

}  // namespace foobar::app
