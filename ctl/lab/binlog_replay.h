// Point-in-time recovery: the primary's binlogs replayed into a restored server, from just
// after a backup's GTID position up to (not including) the first event at or after a time.
// mariadb-binlog reads the files (GTID start position, --stop-datetime), the mariadb client
// applies them as root; the server logs them with their own GTIDs, so its gtid_binlog_pos
// says where it stopped.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

struct ReplayResult {
  int transactions = 0;    // GTID events applied
  std::string first_gtid;  // "" when nothing was replayed
  std::string last_gtid;
};

// Replays `binlog_host`'s binlogs (its data/mysql/mysql-bin.*) into the server on `target`.
// `until` is UTC "YYYY-MM-DD HH:MM:SS". Throws LabError if the binlogs do not reach back to
// `from_gtid` (purged) or the replay fails; the tools' output goes to `log`.
ReplayResult ReplayBinlogsUntil(const LabContext& lab, const Host& binlog_host, const Host& target,
                                const std::string& from_gtid, const std::string& until,
                                const std::filesystem::path& log);

// "0-1-57,1-2-3" -> {0: 57, 1: 3} (domain -> sequence number); throws LabError if malformed.
std::map<long long, long long> ParseGtidPosition(const std::string& text);

// True if `position` has every transaction `other` has (per domain, seq >= other's).
bool GtidPositionCovers(const std::string& position, const std::string& other);

// True if `text` is "YYYY-MM-DD HH:MM:SS" with plausible fields.
bool IsUtcDateTime(const std::string& text);

}  // namespace foobar::ctl
