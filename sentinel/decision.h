// What the sentinel leader should do next, given the cluster record, its own probes and the
// other sentinels' opinions: a pure function, so every rule is unit-tested. One action per
// round; the next round decides again from what the databases show then.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/db_cluster.h"
#include "sentinel/config.h"
#include "sentinel/opinion.h"
#include "sentinel/server_view.h"

namespace foobar::sentinel {

enum class ActionKind {
  kNone,
  kRefence,          // host is writable but not the primary: make it read-only
  kFailover,         // host (the primary) failed: promote target
  kReopen,           // host (the primary) came back read-only and nobody else has every write
  kStuck,            // the primary failed and no server can replace it (logged, not acted on)
  kDegrade,          // no replica left: host (the primary) stops waiting for acknowledgements
  kEnforceSemiSync,  // host's semi-sync master switch disagrees with the record
  kRestoreSemiSync,  // target replicates from host (the primary) again: wait for it again
  kMarkInSync,       // host has every acknowledged write: it may be promoted
};

const char* ActionName(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::kNone;
  std::string host;
  std::string target;
  std::string reason;
};

struct DecisionInput {
  const Config* config = nullptr;
  db_cluster::ClusterState state;
  std::map<std::string, ServerSnapshot> own;  // the leader's own probes
  std::vector<Opinion> opinions;              // every sentinel's, the leader's included
  int64_t now_ms = 0;
};

Action Decide(const DecisionInput& input);

// The fresh opinions (formed at most `max_age_ms` ago), one per sentinel of the config.
std::vector<Opinion> FreshOpinions(const std::vector<Opinion>& all, const Config& config, int64_t now_ms);

// The in-sync replica that got furthest (its received GTID position), among those the
// leader reaches and whose SQL thread has not stopped on an error; "" if none.
std::string BestCandidate(const DecisionInput& input);

}  // namespace foobar::sentinel
