#include "sentinel/decision.h"

#include <fmt/format.h>

#include "sentinel/gtid.h"

namespace foobar::sentinel {
namespace {

// The leader's own record of `host` if it was probed after the cluster record last changed
// (an older probe describes the cluster before the change); nullptr otherwise.
const ServerSnapshot* Own(const DecisionInput& in, const std::string& host) {
  const auto it = in.own.find(host);
  if (it == in.own.end() || !it->second.probed || it->second.probed_at_ms <= in.state.changed_at_ms) return nullptr;
  return &it->second;
}

// "lb-01 1720 ms, lb-02 1690 ms": the sentinels that agree, for the log.
struct Agreement {
  int count = 0;
  std::string who;
};

// Sentinels that have seen `host` unreachable (or, with `or_read_only`, also read-only) for at
// least confirm_ms, counting only time since the primary was recorded when `since_change`.
Agreement Agreeing(const DecisionInput& in, const std::string& host, bool or_read_only, bool since_change) {
  Agreement a;
  for (const auto& o : in.opinions) {
    const auto it = o.servers.find(host);
    if (it == o.servers.end()) continue;
    int64_t ms = or_read_only ? it->second.not_writable_ms : it->second.down_ms;
    if (since_change) ms = std::min<int64_t>(ms, o.at_ms - in.state.primary_since_ms);
    if (ms < in.config->timing.confirm.count()) continue;
    ++a.count;
    a.who += fmt::format("{}{} {} ms {}", a.who.empty() ? "" : ", ", o.sentinel, ms,
                         it->second.up ? "read-only" : "down");
  }
  return a;
}

bool ReplicatesFrom(const ServerSnapshot& s, const DbServer& primary) {
  return s.reachable && s.view.replica && s.view.replica->Running() && s.view.replica->master_host == primary.address &&
         s.view.replica->master_port == primary.port;
}

}  // namespace

const char* ActionName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kNone: return "none";
    case ActionKind::kRefence: return "refence";
    case ActionKind::kFailover: return "failover";
    case ActionKind::kReopen: return "reopen";
    case ActionKind::kStuck: return "stuck";
    case ActionKind::kDegrade: return "degrade";
    case ActionKind::kEnforceSemiSync: return "enforce_semi_sync";
    case ActionKind::kRestoreSemiSync: return "restore_semi_sync";
    case ActionKind::kMarkInSync: return "mark_in_sync";
  }
  return "?";
}

std::vector<Opinion> FreshOpinions(const std::vector<Opinion>& all, const Config& config, int64_t now_ms) {
  std::vector<Opinion> fresh;
  for (const auto& o : all) {
    const bool known = std::find(config.sentinels.begin(), config.sentinels.end(), o.sentinel) != config.sentinels.end();
    const bool duplicate = std::any_of(fresh.begin(), fresh.end(), [&](const Opinion& f) { return f.sentinel == o.sentinel; });
    if (known && !duplicate && now_ms - o.at_ms <= config.timing.opinion_max_age.count()) fresh.push_back(o);
  }
  return fresh;
}

std::string BestCandidate(const DecisionInput& in) {
  std::string best;
  uint64_t best_sequence = 0;
  for (const auto& server : in.config->servers) {
    const std::string& name = server.name;
    if (name == in.state.primary || !in.state.IsInSync(name) || in.state.IsFenced(name)) continue;
    const ServerSnapshot* s = Own(in, name);
    if (!s || !s->reachable) continue;
    if (s->view.replica && s->view.replica->sql_running != "Yes" && !s->view.replica->last_sql_error.empty()) continue;
    const auto position = ParseGtidPosition(s->view.ReceivedPosition());
    const uint64_t sequence = position ? position->TotalSequence() : 0;
    if (best.empty() || sequence > best_sequence) {
      best = name;
      best_sequence = sequence;
    }
  }
  return best;
}

Action Decide(const DecisionInput& in) {
  const Config& config = *in.config;
  const std::string& p = in.state.primary;
  const DbServer* primary = config.FindServer(p);
  if (!primary) return {ActionKind::kStuck, p, "", "the cluster record names no known primary ('" + p + "')"};

  // 1. Never two writable servers: whatever is writable and not the primary is fenced at once.
  for (const auto& server : config.servers) {
    if (server.name == p) continue;
    const ServerSnapshot* s = Own(in, server.name);
    if (s && s->Writable())
      return {ActionKind::kRefence, server.name, "", server.name + " is writable but the primary is " + p};
  }

  // 2. The primary failed: a majority of sentinels has not seen it writable for confirm_ms.
  const Agreement failed = Agreeing(in, p, /*or_read_only=*/true, /*since_change=*/true);
  if (failed.count >= config.Majority()) {
    const std::string why = fmt::format("{} not writable for >= {} ms according to {} of {} sentinels ({})", p,
                                        config.timing.confirm.count(), failed.count, config.sentinels.size(), failed.who);
    const std::string candidate = BestCandidate(in);
    if (!candidate.empty()) return {ActionKind::kFailover, p, candidate, why};
    const ServerSnapshot* s = Own(in, p);
    if (s && s->reachable && s->view.read_only && !s->view.replica)
      return {ActionKind::kReopen, p, "", why + "; it answers read-only and no in-sync replica can replace it"};
    return {ActionKind::kStuck, p, "", why + "; no in-sync replica is reachable to replace it"};
  }

  const ServerSnapshot* ps = Own(in, p);
  if (!ps || !ps->Writable()) return {};

  // 3a. No replica left to acknowledge (every other unfenced server down for a majority):
  // the primary would wait forever, so it stops waiting, on purpose and in the log.
  if (in.state.semi_sync) {
    bool any_other = false;
    bool all_down = true;
    std::string who;
    for (const auto& server : config.servers) {
      if (server.name == p || in.state.IsFenced(server.name)) continue;
      any_other = true;
      const Agreement down = Agreeing(in, server.name, /*or_read_only=*/false, /*since_change=*/false);
      if (down.count < config.Majority()) all_down = false;
      who += (who.empty() ? "" : "; ") + server.name + ": " + down.who;
    }
    if (!any_other)
      return {ActionKind::kDegrade, p, "", "no unfenced replica exists to acknowledge writes"};
    if (all_down)
      return {ActionKind::kDegrade, p, "", "every replica is down according to a majority of sentinels (" + who + ")"};
  }

  // 3b. The primary's semi-sync switch follows the record.
  if (ps->view.semi_sync_enabled != in.state.semi_sync)
    return {ActionKind::kEnforceSemiSync, p, "",
            std::string("rpl_semi_sync_master_enabled is ") + (ps->view.semi_sync_enabled ? "ON" : "OFF") +
                " on the primary, the record says " + (in.state.semi_sync ? "ON" : "OFF")};

  // 3c. A replica replicates from the primary again: acknowledgements resume.
  if (!in.state.semi_sync) {
    for (const auto& server : config.servers) {
      if (server.name == p || in.state.IsFenced(server.name)) continue;
      const ServerSnapshot* s = Own(in, server.name);
      if (s && ReplicatesFrom(*s, *primary))
        return {ActionKind::kRestoreSemiSync, p, server.name, server.name + " replicates from " + p + " again"};
    }
    return {};
  }

  // 3d. A replica has caught up while the primary waits for acknowledgements: from now on it
  // holds every acknowledged write. What it had received (whenever probed) covers everything
  // the primary had written when probed with semi-sync on; whatever the primary acknowledges
  // after that, it acknowledges only once a replica has it.
  if (ps->view.semi_sync_on) {
    for (const auto& server : config.servers) {
      if (server.name == p || in.state.IsFenced(server.name) || in.state.IsInSync(server.name)) continue;
      const ServerSnapshot* s = Own(in, server.name);
      if (s && ReplicatesFrom(*s, *primary) && GtidContains(s->view.ReceivedPosition(), ps->view.gtid_binlog_pos))
        return {ActionKind::kMarkInSync, server.name, "",
                server.name + " has received " + s->view.ReceivedPosition() + " >= the primary's " +
                    ps->view.gtid_binlog_pos + " with semi-sync on"};
    }
  }
  return {};
}

}  // namespace foobar::sentinel
