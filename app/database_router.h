// Which database serves which request: the one place that decides. Today both reads and
// writes go to the primary's pool; a later step will give ForRead() a replica pool.
// Also the app's readiness: ready while the primary answers its probes.
#pragma once

#include "app/config.h"
#include "app/db_pool.h"
#include "app/primary_tracker.h"
#include "app/readiness.h"

namespace foobar::app {

class DatabaseRouter : public ReadinessProbe {
 public:
  explicit DatabaseRouter(const DatabaseConfig& config);

  // Starts probing and the worker threads; returns at once (the database may be down).
  void Start();
  void Stop();

  DbPool& ForWrite() { return primary_pool_; }
  DbPool& ForRead() { return primary_pool_; }

  bool IsReady() const override { return tracker_.PrimaryIsFresh(); }

 private:
  PrimaryTracker tracker_;
  DbPool primary_pool_;  // follows tracker_'s primary; its failures trigger a recheck
};

}  // namespace foobar::app
