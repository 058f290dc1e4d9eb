// max_writable: the most database servers seen accepting writes at one moment of a chaos run.
//
// Definition. A server "accepts writes" at a moment if its admin socket answered within
// the last kFreshness and said @@global.read_only = 0. A killed or stopped server refuses
// the connection and a frozen one does not answer within the probe's 1 s timeout: neither
// counts. A writable primary whose semi-synchronous replica is gone DOES count even though
// its commits may wait for an acknowledgement: it still takes writes into its binlog (and
// commits them once semi-sync times out or an ack arrives), so two of those at once are a
// split brain. The admin socket is a unix socket, so a partitioned server is still seen;
// and it is seen as writable if it stays read_only = 0 behind the partition, which is
// exactly the split brain this measures.
//
// One prober thread per server (a frozen one must not delay the others), sampling every
// 100 ms; one thread counts every 100 ms. Start() once, Stop() once (or the destructor).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace foobar::ctl::chaos {

using Clock = std::chrono::steady_clock;

inline constexpr auto kProbeInterval = std::chrono::milliseconds(100);
inline constexpr auto kFreshness = std::chrono::milliseconds(500);

// What is known of one server at a moment: when it last answered and what it said.
struct ServerSample {
  bool answered_ever = false;
  Clock::time_point answered_at{};
  bool read_only = true;
};

// Pure: how many of `servers` accept writes at `now` (see the definition above).
int CountWritable(const std::vector<ServerSample>& servers, Clock::time_point now,
                  std::chrono::milliseconds freshness = kFreshness);

struct DatabaseServer {
  std::string host;
  std::filesystem::path admin_socket;
};

class WritableMonitor {
 public:
  explicit WritableMonitor(std::vector<DatabaseServer> servers);
  ~WritableMonitor();
  WritableMonitor(const WritableMonitor&) = delete;
  WritableMonitor& operator=(const WritableMonitor&) = delete;

  void Start();
  void Stop();

  int MaxWritable() const { return max_writable_.load(); }
  // Every server seen accepting writes at some moment, by host name.
  std::set<std::string> HostsSeenWritable() const;

 private:
  void ProbeLoop(size_t index);
  void CountLoop();

  std::vector<DatabaseServer> servers_;
  mutable std::mutex mutex_;
  std::vector<ServerSample> samples_;    // guarded by mutex_
  std::set<std::string> seen_writable_;  // guarded by mutex_
  std::atomic<int> max_writable_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace foobar::ctl::chaos
