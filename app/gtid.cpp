// Strict GTID parsing: from_chars rejects signs and spaces, and reports overflow.
#include "app/gtid.h"

#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace foobar::app {
namespace {

constexpr std::size_t kMaxDigits = 20;  // 2^64-1 has 20 digits

// Parses all of `part` as an unsigned decimal not above `max`.
std::optional<std::uint64_t> ParsePart(std::string_view part, std::uint64_t max) {
  if (part.empty() || part.size() > kMaxDigits) return std::nullopt;
  for (const char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (error != std::errc() || end != part.data() + part.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Gtid> ParseGtid(std::string_view text) {
  const auto first = text.find('-');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  constexpr std::uint64_t kMax32 = std::numeric_limits<std::uint32_t>::max();
  const auto domain = ParsePart(text.substr(0, first), kMax32);
  const auto server = ParsePart(text.substr(first + 1, second - first - 1), kMax32);
  const auto seq = ParsePart(text.substr(second + 1), std::numeric_limits<std::uint64_t>::max());
  if (!domain || !server || !seq) return std::nullopt;
  return Gtid{static_cast<std::uint32_t>(*domain), static_cast<std::uint32_t>(*server), *seq};
}

std::string FormatGtid(const Gtid& gtid) {
  return fmt::format("{}-{}-{}", gtid.domain, gtid.server, gtid.seq);
}

}  // namespace foobar::app
