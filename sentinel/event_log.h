// The sentinel's log: one JSON object per line on stdout (the lab appends it to
// log/sentinel.log), {"ts", "sentinel", "event", ...}. Every step of a failover, switchover
// or fencing is one line. Thread-safe.
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace foobar::sentinel {

class EventLog {
 public:
  explicit EventLog(std::string sentinel, std::FILE* out = stdout) : sentinel_(std::move(sentinel)), out_(out) {}

  void Write(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());

 private:
  const std::string sentinel_;
  std::FILE* out_;
  std::mutex mutex_;
};

// "2025-05-20T10:11:12.345Z".
std::string IsoTimeUtc(int64_t ms_since_epoch);

}  // namespace foobar::sentinel
