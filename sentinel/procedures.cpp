#include "sentinel/procedures.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>

#include "sentinel/db_actions.h"

namespace foobar::sentinel {
using nlohmann::json;
namespace {

// Seconds the steps may wait: a fence for the commits in progress, a replica for its relay
// log. Both are near-instant when all is well; the bounds only matter when it is not.
constexpr unsigned kFenceWaitS = 1;
constexpr unsigned kCatchUpTimeoutS = 10;

class Stopwatch {
 public:
  long long Ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

json Outcome(const Status& status, const Stopwatch& sw) {
  json out = {{"ok", status.ok()}, {"ms", sw.Ms()}};
  if (!status.ok()) out["error"] = status.error().message;
  return out;
}

json With(json base, const json& more) {
  for (const auto& [k, v] : more.items()) base[k] = v;
  return base;
}

void Remove(std::vector<std::string>& list, const std::string& item) {
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
}

void Add(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

const DbServer& Procedures::Server(const std::string& name) const { return *config_.FindServer(name); }

bool Procedures::Record(const ClusterRecord& previous, const db_cluster::ClusterState& next, const std::string& event) {
  Stopwatch sw;
  const Status written = WriteCluster(etcd_, config_.name, previous, next);
  log_.Write(event, With(Outcome(written, sw), {{"epoch", next.epoch},
                                                {"primary", next.primary},
                                                {"semi_sync", next.semi_sync},
                                                {"in_sync", next.in_sync},
                                                {"fenced", next.fenced}}));
  return written.ok();
}

bool Procedures::Execute(const Action& action, const ClusterRecord& record) {
  switch (action.kind) {
    case ActionKind::kFailover: return Failover(record, action.host, action.target, action.reason);
    case ActionKind::kRefence: return Refence(action.host, action.reason);
    case ActionKind::kReopen: return Reopen(record, action.host, action.reason);
    case ActionKind::kDegrade: return Degrade(record, action.host, action.reason);
    case ActionKind::kEnforceSemiSync: return EnforceSemiSync(record, action.host, action.reason);
    case ActionKind::kRestoreSemiSync: return RestoreSemiSync(record, action.host, action.target);
    case ActionKind::kMarkInSync: return MarkInSync(record, action.host, action.reason);
    case ActionKind::kNone:
    case ActionKind::kStuck: return true;
  }
  return false;
}

// Failover, in an order that never has two writable servers and never loses an
// acknowledged write:
//  1. every replica stops receiving from the old primary: from then on the old primary, if it
//     still runs, cannot get an acknowledgement, so it cannot acknowledge a write either;
//  2. meanwhile, the old primary is fenced if it answers (read-only; no stuck commit is ever
//     confirmed to its client);
//  3. the candidate applies everything it received (which includes every acknowledged write);
//  4. it stops being a replica;
//  5. the record names it primary (epoch + 1) and the old primary fenced, if this sentinel
//     still leads; 6. other replicas follow it; 7. only then does it become writable.
bool Procedures::Failover(const ClusterRecord& record, const std::string& old_name, const std::string& new_name,
                          const std::string& reason) {
  Stopwatch total;
  const DbServer& old_primary = Server(old_name);
  const DbServer& candidate = Server(new_name);
  const json base = {{"old", old_name}, {"new", new_name}, {"epoch", record.state.epoch + 1}};
  log_.Write("failover.begin", With(base, {{"reason", reason}}));

  // The old primary is fenced on a thread of its own: if it does not answer, trying costs a
  // connect timeout, which the other steps need not wait for.
  auto fencing = std::async(std::launch::async, [&old_primary, this] {
    Stopwatch sw;
    const auto fenced = Fence(old_primary, config_.monitor, kFenceWaitS);
    json fields = {{"host", old_primary.name}, {"ok", fenced.ok()}, {"ms", sw.Ms()}};
    if (fenced.ok())
      fields["killed"] = fenced->killed;
    else
      fields["note"] = "unreachable: it cannot acknowledge a write, no replica receives from it (" +
                       fenced.error().message + ")";
    log_.Write("failover.fence", fields);
  });
  auto abort = [&](const std::string& why) {
    fencing.wait();
    log_.Write("failover.aborted", With(base, {{"why", why}, {"ms", total.Ms()}}));
    return false;
  };

  std::vector<std::string> others;
  for (const auto& server : config_.servers) {
    if (server.name == old_name || record.state.IsFenced(server.name)) continue;
    Stopwatch sw;
    const Status stopped = StopReceiving(server, config_.monitor);
    log_.Write("failover.stop_receiving", With(Outcome(stopped, sw), {{"host", server.name}}));
    if (server.name == new_name && !stopped.ok()) return abort("the candidate does not answer");
    if (server.name != new_name && stopped.ok()) others.push_back(server.name);
  }

  {
    Stopwatch sw;
    const auto applied = ApplyRelayLog(candidate, config_.monitor, kCatchUpTimeoutS);
    log_.Write("failover.catch_up",
               With(Outcome(applied.ok() ? OkStatus() : Status(applied.error()), sw),
                    {{"host", new_name}, {"position", applied.ok() ? *applied : std::string{}}}));
    if (!applied.ok()) return abort("the candidate could not apply its relay log");
  }
  {
    Stopwatch sw;
    const Status detached = Detach(candidate, config_.monitor);
    log_.Write("failover.detach", With(Outcome(detached, sw), {{"host", new_name}}));
    if (!detached.ok()) return abort("the candidate could not stop replicating");
  }
  fencing.wait();
  if (!leadership_.IsLeader()) return abort("this sentinel no longer leads");

  db_cluster::ClusterState next = record.state;
  next.epoch += 1;
  next.primary = new_name;
  Add(next.fenced, old_name);
  next.in_sync.clear();  // acknowledgements start over with the new primary
  next.semi_sync = !others.empty();
  next.reason = "failover: " + reason;
  if (!Record(record, next, "failover.record")) return abort("the cluster record could not be written");

  for (const auto& name : others) {
    Stopwatch sw;
    const Status repointed = ReplicateFrom(Server(name), config_.monitor, candidate, config_.replication, false);
    log_.Write("failover.repoint", With(Outcome(repointed, sw), {{"host", name}, {"primary", new_name}}));
  }
  {
    Stopwatch sw;
    const Status opened = OpenForWrites(candidate, config_.monitor, next.semi_sync);
    log_.Write("failover.open", With(Outcome(opened, sw), {{"host", new_name}, {"semi_sync", next.semi_sync}}));
    if (!opened.ok()) return abort("the new primary could not be made writable (the next round retries)");
  }
  if (!next.semi_sync)
    log_.Write("degraded", {{"primary", new_name},
                            {"why", "no replica is left: writes are acknowledged by " + new_name + " alone until `foobar db rejoin " +
                                        old_name + "`"}});
  log_.Write("failover.done", With(base, {{"ms", total.Ms()}}));
  return true;
}

bool Procedures::Refence(const std::string& host, const std::string& reason) {
  Stopwatch sw;
  const auto fenced = Fence(Server(host), config_.monitor, kFenceWaitS);
  json fields = {{"host", host}, {"reason", reason}, {"ok", fenced.ok()}, {"ms", sw.Ms()}};
  if (fenced.ok())
    fields["killed"] = fenced->killed;
  else
    fields["error"] = fenced.error().message;
  log_.Write("refence", fields);
  return fenced.ok();
}

bool Procedures::Reopen(const ClusterRecord& record, const std::string& host, const std::string& reason) {
  log_.Write("reopen.begin", {{"host", host}, {"reason", reason}});
  db_cluster::ClusterState next = record.state;
  next.epoch += 1;  // a new term for the same primary: opinions of it start over
  next.reason = "reopen: " + reason;
  if (!leadership_.IsLeader() || !Record(record, next, "reopen.record")) return false;
  Stopwatch sw;
  const Status opened = OpenForWrites(Server(host), config_.monitor, next.semi_sync);
  log_.Write("reopen.open", With(Outcome(opened, sw), {{"host", host}, {"semi_sync", next.semi_sync}}));
  return opened.ok();
}

// The record first: once it says "nobody is in sync", no failover will count on a replica
// that misses what the primary acknowledges alone from the next step on.
bool Procedures::Degrade(const ClusterRecord& record, const std::string& host, const std::string& reason) {
  db_cluster::ClusterState next = record.state;
  next.semi_sync = false;
  next.in_sync.clear();
  next.reason = "degraded: " + reason;
  if (!leadership_.IsLeader() || !Record(record, next, "degrade.record")) return false;
  Stopwatch sw;
  const Status off = SetSemiSyncMaster(Server(host), config_.monitor, false);
  log_.Write("degraded", With(Outcome(off, sw), {{"primary", host},
                                                 {"why", reason + ": writes are acknowledged by " + host + " alone"}}));
  return off.ok();
}

bool Procedures::EnforceSemiSync(const ClusterRecord& record, const std::string& host, const std::string& reason) {
  Stopwatch sw;
  const Status set = SetSemiSyncMaster(Server(host), config_.monitor, record.state.semi_sync);
  log_.Write("semi_sync.enforce", With(Outcome(set, sw), {{"host", host}, {"on", record.state.semi_sync}, {"reason", reason}}));
  return set.ok();
}

// The switch first, then the record: the record never says "waiting" while the primary is not.
bool Procedures::RestoreSemiSync(const ClusterRecord& record, const std::string& host, const std::string& replica) {
  Stopwatch sw;
  const Status on = SetSemiSyncMaster(Server(host), config_.monitor, true);
  log_.Write("semi_sync.restore", With(Outcome(on, sw), {{"primary", host}, {"replica", replica}}));
  if (!on.ok()) return false;
  db_cluster::ClusterState next = record.state;
  next.semi_sync = true;
  next.reason = "semi-sync restored: " + replica + " replicates from " + host;
  return leadership_.IsLeader() && Record(record, next, "semi_sync.record");
}

bool Procedures::MarkInSync(const ClusterRecord& record, const std::string& host, const std::string& reason) {
  db_cluster::ClusterState next = record.state;
  Add(next.in_sync, host);
  next.reason = "in sync: " + reason;
  return leadership_.IsLeader() && Record(record, next, "in_sync.record");
}

db_cluster::Reply Procedures::Handle(const db_cluster::Request& request, const ClusterRecord& record,
                                     const DecisionInput& input) {
  log_.Write("request", {{"id", request.id}, {"op", request.op}, {"host", request.host}});
  db_cluster::Reply reply;
  if (request.op == "switchover")
    reply = Switchover(request, record, input);
  else if (request.op == "rejoined")
    reply = Rejoined(request, record, input);
  else
    reply.message = "unknown request '" + request.op + "'";
  reply.id = request.id;
  if (reply.primary.empty()) reply.primary = record.state.primary;
  log_.Write("reply", {{"id", reply.id}, {"ok", reply.ok}, {"message", reply.message}, {"primary", reply.primary}});
  return reply;
}

// Switchover: nothing acknowledged may be lost and nothing fails that need not.
//  1. the old primary turns read-only (writes from now on fail fast; the app retries them on
//     the new primary); 2. its binlog position is read; 3. the target applies up to it;
//  4. the target stops replicating; 5. the old primary replicates from the target;
//  6. the record names the target (epoch + 1, the old primary in sync: it has everything and
//     the new primary waits for its acknowledgements); 7. the target becomes writable.
// Until step 4 a failure puts everything back as it was.
db_cluster::Reply Procedures::Switchover(const db_cluster::Request& request, const ClusterRecord& record,
                                         const DecisionInput& input) {
  Stopwatch total;
  db_cluster::Reply reply;
  const std::string old_name = record.state.primary;
  const DbServer& old_primary = Server(old_name);
  const auto p = ProbeNow(old_primary, config_.monitor);
  if (!p.ok() || p->read_only) {
    reply.message = "the primary " + old_name + " is not writable right now";
    return reply;
  }
  std::string target = request.host;
  if (target.empty()) target = BestCandidate(input);
  if (target.empty() || !config_.FindServer(target)) {
    reply.message = "no in-sync replica to switch over to";
    return reply;
  }
  if (target == old_name) {
    reply.ok = true;
    reply.message = target + " is the primary already";
    return reply;
  }
  const auto t = ProbeNow(Server(target), config_.monitor);
  if (!record.state.IsInSync(target) || record.state.IsFenced(target) || !t.ok() || !t->replica ||
      !t->replica->Running() || t->replica->master_host != old_primary.address) {
    reply.message = target + " is not an in-sync replica of " + old_name + " right now";
    return reply;
  }
  const DbServer& new_primary = Server(target);
  const json base = {{"old", old_name}, {"new", target}, {"epoch", record.state.epoch + 1}};
  log_.Write("switchover.begin", base);
  auto restore = [&](const std::string& why) {
    const Status reopened = OpenForWrites(old_primary, config_.monitor, record.state.semi_sync);
    log_.Write("switchover.aborted", With(base, {{"why", why}, {"old_reopened", reopened.ok()}, {"ms", total.Ms()}}));
    reply.message = "switchover aborted: " + why;
    return reply;
  };

  {
    Stopwatch sw;
    const auto fenced = Fence(old_primary, config_.monitor, 2);
    log_.Write("switchover.fence", With(Outcome(fenced.ok() ? OkStatus() : Status(fenced.error()), sw),
                                        {{"host", old_name}, {"killed", fenced.ok() ? fenced->killed : 0}}));
    if (!fenced.ok()) return restore("the primary could not be made read-only");
  }
  std::string position;
  {
    Stopwatch sw;
    auto binlog = BinlogPosition(old_primary, config_.monitor);
    if (!binlog.ok()) return restore("the primary's binlog position could not be read");
    position = *binlog;
    const Status reached = WaitForPosition(new_primary, config_.monitor, position, kCatchUpTimeoutS);
    log_.Write("switchover.catch_up", With(Outcome(reached, sw), {{"host", target}, {"position", position}}));
    if (!reached.ok()) return restore(target + " did not reach " + position);
  }
  {
    Stopwatch sw;
    const Status detached = Detach(new_primary, config_.monitor);
    log_.Write("switchover.detach", With(Outcome(detached, sw), {{"host", target}}));
    if (!detached.ok()) return restore(target + " could not stop replicating");
  }
  bool old_replicates = false;
  {
    Stopwatch sw;
    const Status repointed = ReplicateFrom(old_primary, config_.monitor, new_primary, config_.replication, true);
    old_replicates = repointed.ok();
    log_.Write("switchover.repoint", With(Outcome(repointed, sw), {{"host", old_name}, {"primary", target}}));
  }
  if (!leadership_.IsLeader()) {
    log_.Write("switchover.aborted", With(base, {{"why", "this sentinel no longer leads; the next leader fails over"}}));
    reply.message = "switchover interrupted: leadership lost";
    return reply;
  }
  db_cluster::ClusterState next = record.state;
  next.epoch += 1;
  next.primary = target;
  next.in_sync.clear();
  if (old_replicates) next.in_sync.push_back(old_name);
  // Waiting needs a replica: without the old primary replicating there is none (2 servers).
  next.semi_sync = old_replicates || config_.servers.size() > 2;
  next.reason = "switchover requested by the operator (" + request.id + ")";
  if (!Record(record, next, "switchover.record")) {
    reply.message = "switchover interrupted: the cluster record could not be written; the next round fails over";
    return reply;
  }
  {
    Stopwatch sw;
    const Status opened = OpenForWrites(new_primary, config_.monitor, next.semi_sync);
    log_.Write("switchover.open", With(Outcome(opened, sw), {{"host", target}, {"semi_sync", next.semi_sync}}));
  }
  log_.Write("switchover.done", With(base, {{"ms", total.Ms()}, {"position", position}}));
  reply.ok = true;
  reply.primary = target;
  reply.message = fmt::format("{} is the primary (epoch {}), {} replicates from it; {} ms with writes refused", target,
                              next.epoch, old_name, total.Ms());
  return reply;
}

db_cluster::Reply Procedures::Rejoined(const db_cluster::Request& request, const ClusterRecord& record,
                                       const DecisionInput&) {
  db_cluster::Reply reply;
  const DbServer* server = config_.FindServer(request.host);
  if (!server || request.host == record.state.primary) {
    reply.message = "'" + request.host + "' is not a replica of this cluster";
    return reply;
  }
  const DbServer& primary = Server(record.state.primary);
  const auto view = ProbeNow(*server, config_.monitor);  // it has just been restarted
  if (!view.ok() || !view->read_only || !view->replica || !view->replica->Running() ||
      view->replica->master_host != primary.address) {
    reply.message = request.host + " does not replicate from " + record.state.primary + " (read-only, both threads running)";
    return reply;
  }
  if (!record.state.IsFenced(request.host)) {
    reply.ok = true;
    reply.message = request.host + " is a replica of " + record.state.primary + " and was not fenced";
    return reply;
  }
  db_cluster::ClusterState next = record.state;
  Remove(next.fenced, request.host);
  next.reason = "rejoined: " + request.host + " rebuilt as a replica of " + record.state.primary;
  if (!Record(record, next, "rejoin.record")) {
    reply.message = "the cluster record could not be written; try again";
    return reply;
  }
  reply.ok = true;
  reply.message = request.host + " is no longer fenced; it counts as in sync once it has caught up with semi-sync on";
  return reply;
}

}  // namespace foobar::sentinel
