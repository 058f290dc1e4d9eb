// MariaDB GTID positions ("0-31-1042,1-32-7": one domain-server-sequence triple per
// replication domain) and the one question the sentinel asks of them: does position A
// contain everything position B does?
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace foobar::sentinel {

struct GtidPosition {
  struct Entry {
    uint32_t server_id = 0;
    uint64_t sequence = 0;
  };
  std::map<uint32_t, Entry> domains;  // by domain id

  // True if, in every domain of `other`, this position has reached at least its sequence.
  bool Contains(const GtidPosition& other) const;
  // The sum of the sequence numbers: orders positions of one history by how far they got.
  uint64_t TotalSequence() const;
  std::string ToString() const;
};

// Parses a GTID list as MariaDB prints it ("" is the empty position); nullopt if malformed.
std::optional<GtidPosition> ParseGtidPosition(std::string_view text);

// True if `a` contains `b`; false when either does not parse.
bool GtidContains(std::string_view a, std::string_view b);

}  // namespace foobar::sentinel
