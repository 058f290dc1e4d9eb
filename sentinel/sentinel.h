// One sentinel: probes every database server, publishes its opinion in etcd, takes part in
// the leader election, and, while it leads, decides and acts once per round (250 ms). Also
// rewrites its status file every round (what `foobar status` and the lab read).
#pragma once

#include <atomic>
#include <map>
#include <string>

#include "sentinel/config.h"
#include "sentinel/decision.h"
#include "sentinel/etcd_client.h"
#include "sentinel/event_log.h"
#include "sentinel/leadership.h"
#include "sentinel/opinion.h"
#include "sentinel/prober.h"
#include "sentinel/procedures.h"

namespace foobar::sentinel {

class Sentinel {
 public:
  explicit Sentinel(Config config);

  // Runs until `stop` turns true; returns the exit code.
  int Run(const std::atomic<bool>& stop);

 private:
  void Round();
  void Publish(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms);
  void Lead(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms);
  void WriteStatus(const std::map<std::string, ServerSnapshot>& own, int64_t now_ms);
  // Logs `event` unless the same key was logged within the last 5 s.
  void LogThrottled(const std::string& key, const std::string& event, const nlohmann::json& fields);

  const Config config_;
  EventLog log_;
  EtcdClient etcd_;
  Prober prober_;
  Leadership leadership_;
  Procedures procedures_;
  bool etcd_ok_ = false;
  Opinion last_published_;
  int64_t last_published_ms_ = 0;
  std::string last_action_;
  std::map<std::string, int64_t> throttle_;
};

}  // namespace foobar::sentinel
