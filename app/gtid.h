// A MariaDB GTID "domain-server-seq" (e.g. "0-287-19"): what the app remembers about a
// client's last write so that its next read can wait for a replica to have applied it.
// Parsing is strict (decimal digits and two dashes, each part in range) because the text
// comes from a cookie the client controls and ends up as a MASTER_GTID_WAIT argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace foobar::app {

struct Gtid {
  std::uint32_t domain = 0;
  std::uint32_t server = 0;
  std::uint64_t seq = 0;

  bool operator==(const Gtid&) const = default;
};

// "D-S-N" with D and S in 0..2^32-1 and N in 0..2^64-1, no sign, no spaces, at most 20
// digits per part; anything else (a GTID list "0-1-5,1-2-3" included) is nullopt.
std::optional<Gtid> ParseGtid(std::string_view text);

std::string FormatGtid(const Gtid& gtid);

}  // namespace foobar::app
