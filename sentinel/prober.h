// Probes every database server on a thread of its own (so one black-holed server cannot
// delay the others' probes), every probe_interval, each bounded by probe_timeout_s. Keeps a
// persistent connection per server and reopens it after any failure.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "sentinel/config.h"
#include "sentinel/server_view.h"

namespace foobar::sentinel {

class Prober {
 public:
  explicit Prober(const Config& config);
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  void Start();
  void Stop();

  // The latest record of every server, by name.
  std::map<std::string, ServerSnapshot> Snapshot() const;

 private:
  void Loop(size_t index);

  const Config& config_;
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                            // guarded by mutex_
  std::map<std::string, ServerSnapshot> snapshots_;  // guarded by mutex_
};

// The next record of a server given the previous one and this probe's outcome (pure; the
// "since" times carry over while the state lasts).
ServerSnapshot NextSnapshot(const ServerSnapshot& previous, const Result<ServerView>& probe, int64_t now_ms);

}  // namespace foobar::sentinel
