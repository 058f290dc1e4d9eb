// A sentinel's opinion of every database server, as it publishes it in etcd for the leader:
// up or not, writable or not, and for how long, measured by this sentinel's own probes.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sentinel/server_view.h"

namespace foobar::sentinel {

struct ServerOpinion {
  bool up = false;
  bool writable = false;
  int64_t down_ms = 0;          // how long it has been unreachable (0 when up)
  int64_t not_writable_ms = 0;  // how long it has been unreachable or read-only (0 when writable)
};

struct Opinion {
  std::string sentinel;
  int64_t at_ms = 0;  // when it was formed (wall clock)
  std::map<std::string, ServerOpinion> servers;
};

// The opinion formed from the prober's records at `now_ms` (servers never probed are left out).
Opinion MakeOpinion(const std::string& sentinel, const std::map<std::string, ServerSnapshot>& snapshots,
                    int64_t now_ms);

nlohmann::json ToJson(const Opinion& opinion);
std::optional<Opinion> ParseOpinion(const std::string& text);

// True if the two opinions differ in anything but their durations and age: worth publishing
// at once rather than at the next heartbeat.
bool ChangedMaterially(const Opinion& before, const Opinion& after);

}  // namespace foobar::sentinel
