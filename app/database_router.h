// Which database serves which request: the primary's pool for writes (and for reads when no
// replica is healthy), one pool per replica for reads. Also the app's readiness: ready
// while the primary answers its probes (writes possible), see README.md "Readiness".
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "app/config.h"
#include "app/db_pool.h"
#include "app/readiness.h"
#include "app/role_tracker.h"

namespace foobar::app {

class DatabaseRouter : public ReadinessProbe {
 public:
  explicit DatabaseRouter(const DatabaseConfig& config);

  // Starts probing and the worker threads; returns at once (the database may be down).
  void Start();
  void Stop();

  // Follows the current primary.
  DbPool& PrimaryPool() { return primary_pool_; }

  // The next healthy replica (round robin), or -1 if none: reads then go to the primary.
  int NextHealthyReplica();
  // The pool of server `index`; only for an index NextHealthyReplica() returned.
  DbPool& ReplicaPool(int index) { return *replica_pools_[static_cast<std::size_t>(index)]; }

  // See RoleTracker.
  std::optional<DbEndpoint> PrimaryConfirmedSince(
      std::chrono::steady_clock::time_point since) const {
    return tracker_.PrimaryConfirmedSince(since);
  }
  void RequestRecheck() { tracker_.RequestRecheck(); }

  bool IsReady() const override { return tracker_.PrimaryIsFresh(); }

 private:
  RoleTracker tracker_;
  DbPool primary_pool_;  // follows tracker_'s primary; its failures trigger a recheck
  // One per server while it is a replica (none with a single server). A server's pool
  // keeps its connections while the server is read-only, healthy or not, so that it is
  // warm when it serves again; routing decides whether it is used.
  std::vector<std::unique_ptr<DbPool>> replica_pools_;
};

}  // namespace foobar::app
