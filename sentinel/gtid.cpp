#include "sentinel/gtid.h"

#include <charconv>

namespace foobar::sentinel {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool GtidPosition::Contains(const GtidPosition& other) const {
  for (const auto& [domain, entry] : other.domains) {
    const auto it = domains.find(domain);
    if (it == domains.end() || it->second.sequence < entry.sequence) return false;
  }
  return true;
}

uint64_t GtidPosition::TotalSequence() const {
  uint64_t total = 0;
  for (const auto& [domain, entry] : domains) total += entry.sequence;
  return total;
}

std::string GtidPosition::ToString() const {
  std::string out;
  for (const auto& [domain, entry] : domains)
    out += (out.empty() ? "" : ",") + std::to_string(domain) + "-" + std::to_string(entry.server_id) + "-" +
           std::to_string(entry.sequence);
  return out;
}

std::optional<GtidPosition> ParseGtidPosition(std::string_view text) {
  GtidPosition position;
  text = Trim(text);
  if (text.empty()) return position;
  for (bool more = true; more;) {
    const size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    more = comma != std::string_view::npos;
    if (more) text = text.substr(comma + 1);
    const size_t first = item.find('-');
    const size_t second = first == std::string_view::npos ? first : item.find('-', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    uint32_t domain = 0;
    GtidPosition::Entry entry;
    if (!ParseNumber(item.substr(0, first), domain) ||
        !ParseNumber(item.substr(first + 1, second - first - 1), entry.server_id) ||
        !ParseNumber(item.substr(second + 1), entry.sequence))
      return std::nullopt;
    if (!position.domains.emplace(domain, entry).second) return std::nullopt;  // a domain twice
  }
  return position;
}

bool GtidContains(std::string_view a, std::string_view b) {
  const auto pa = ParseGtidPosition(a);
  const auto pb = ParseGtidPosition(b);
  return pa && pb && pa->Contains(*pb);
}

}  // namespace foobar::sentinel
