// The sentinel's etcd lease and the leader election on it. The lease is refreshed by a
// thread of its own (a long failover on the main thread must not let it lapse); the leader
// key is created with the lease in a transaction that succeeds only if nobody holds it. The
// sentinel acts as leader only while the lease is certainly alive: its last refresh plus the
// TTL, less a margin, lies ahead.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "sentinel/config.h"
#include "sentinel/etcd_client.h"
#include "sentinel/event_log.h"

namespace foobar::sentinel {

class Leadership {
 public:
  Leadership(const Config& config, EventLog& log);
  ~Leadership();
  Leadership(const Leadership&) = delete;
  Leadership& operator=(const Leadership&) = delete;

  void Start();  // the keep-alive thread
  void Stop();

  // On the main thread, every round: gets a lease if there is none, then holds or seeks the
  // leader key. Returns false if etcd could not be reached.
  bool Tick(EtcdClient& etcd);

  int64_t lease() const { return lease_.load(); }
  // Holds the leader key and the lease is certainly alive right now.
  bool IsLeader() const;
  // The leader as last seen ("" if none).
  std::string leader_name() const;

  // Gives the lease back (leadership and opinion vanish at once); for a clean exit.
  void Resign(EtcdClient& etcd);

 private:
  void KeepAliveLoop();
  void SetValidUntil(std::chrono::steady_clock::time_point until);

  const Config& config_;
  EventLog& log_;
  std::atomic<int64_t> lease_{0};
  std::atomic<int64_t> valid_until_ns_{0};  // steady clock
  std::atomic<bool> holds_key_{false};
  mutable std::mutex mutex_;
  std::string leader_name_;  // guarded by mutex_
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace foobar::sentinel
