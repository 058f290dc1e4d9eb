// The database cluster's shared record in etcd, read and written by foobar-sentinel and
// read by the `foobar` CLI (status, switchover, rejoin): the key names and the JSON of each
// value. sentinel/README.md describes the protocol around them.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace foobar::db_cluster {

// Who is primary and who may become it: written only by the sentinel leader (a txn that
// checks it still holds the leader key), and by `foobar up` once, before any sentinel runs.
inline constexpr const char* kClusterKey = "/foobar/db/cluster";
// The sentinel leader's name, under its lease.
inline constexpr const char* kLeaderKey = "/foobar/sentinel/leader";
// One opinion per sentinel (what it sees of every database server), under its lease.
inline constexpr const char* kOpinionPrefix = "/foobar/sentinel/opinion/";
// An operator's request to the leader (`foobar db switchover`, `foobar db rejoin`) and the
// leader's reply under kReplyPrefix + request id.
inline constexpr const char* kRequestKey = "/foobar/sentinel/request";
inline constexpr const char* kReplyPrefix = "/foobar/sentinel/reply/";

struct ClusterState {
  long long epoch = 0;                // +1 on every change of primary
  std::string primary;                // the one server that may be writable
  bool semi_sync = true;              // the primary waits for a replica's acknowledgement
  std::vector<std::string> in_sync;   // replicas that hold every acknowledged write: the only
                                      // candidates for promotion
  std::vector<std::string> fenced;    // old primaries: read-only until `foobar db rejoin HOST`
  std::string reason;                 // why the record last changed
  std::string changed_at;             // when (UTC, ISO 8601)
  long long changed_at_ms = 0;        // the same, in ms since the epoch: the leader's probes
                                      // from before it count for nothing
  long long primary_since_ms = 0;     // when this primary was recorded: sentinels' opinions
                                      // of it count only from then on

  bool IsFenced(const std::string& host) const {
    return std::find(fenced.begin(), fenced.end(), host) != fenced.end();
  }
  bool IsInSync(const std::string& host) const {
    return std::find(in_sync.begin(), in_sync.end(), host) != in_sync.end();
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ClusterState, epoch, primary, semi_sync, in_sync,
                                                fenced, reason, changed_at, changed_at_ms,
                                                primary_since_ms)

// op "switchover": move the primary to `host` (or to the best in-sync replica if empty).
// op "rejoined": `host` was rebuilt as a replica of the primary; unfence it.
struct Request {
  std::string id;
  std::string op;
  std::string host;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Request, id, op, host)

struct Reply {
  std::string id;
  bool ok = false;
  std::string message;
  std::string primary;  // the primary after the request was handled
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Reply, id, ok, message, primary)

// Parses a JSON value of one of the types above; false (and `out` untouched) if malformed.
template <typename T>
bool ParseJson(const std::string& text, T& out) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return false;
  try {
    out = json.get<T>();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

}  // namespace foobar::db_cluster
