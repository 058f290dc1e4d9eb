// Structured logging: one JSON object per line on stdout, for events (start-up, shutdown,
// database state) and, via request_log.h, for requests. Thread-safe; never throws.
#pragma once

#include <atomic>
#include <chrono>
#include <string_view>

#include <nlohmann/json.hpp>

namespace foobar::app {

enum class LogLevel { kInfo, kWarn, kError };

// Writes one complete line (a '\n' is appended) atomically with respect to other log calls,
// and flushes: the log is read live by a supervisor, not at exit.
void WriteLogLine(std::string_view line);
// The same for several complete lines, each already ending in '\n' (log_batch.h).
void WriteLogLines(std::string_view lines);

// {"ts":..,"level":..,"msg":..,<fields>}. `fields` must be an object (or null).
void LogEvent(LogLevel level, std::string_view msg, nlohmann::json fields = nullptr);

// Lets one event through per `interval`, for failures that can repeat per request
// (a database outage must not double the log volume). Thread-safe.
class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  // True if the caller should log now; `suppressed` gets how many were skipped before.
  bool Allow(long& suppressed);

 private:
  const std::chrono::steady_clock::duration interval_;
  std::atomic<std::chrono::steady_clock::rep> next_allowed_{0};
  std::atomic<long> suppressed_{0};
};

}  // namespace foobar::app
