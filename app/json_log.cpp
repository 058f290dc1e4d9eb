// JSON log lines on stdout. A mutex plus fwrite keeps lines whole when threads log at
// once (a plain write(2) is only atomic up to PIPE_BUF on a pipe).
#include "app/json_log.h"

#include <cstdio>
#include <mutex>

#include "app/time_format.h"

namespace foobar::app {
namespace {

std::mutex& LogMutex() {
  static std::mutex mutex;
  return mutex;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void WriteLogLine(std::string_view line) {
  std::lock_guard lock(LogMutex());
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void WriteLogLines(std::string_view lines) {
  std::lock_guard lock(LogMutex());
  std::fwrite(lines.data(), 1, lines.size(), stdout);
  std::fflush(stdout);
}

void LogEvent(LogLevel level, std::string_view msg, nlohmann::json fields) {
  try {
    nlohmann::ordered_json line = {{"ts", FormatIsoUtc(std::chrono::system_clock::now())},
                                   {"level", LevelName(level)},
                                   {"msg", msg}};
    if (fields.is_object()) {
      for (auto& [key, value] : fields.items()) line[key] = std::move(value);
    }
    WriteLogLine(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } catch (...) {
    // Only allocation can fail here; losing one log line beats losing the process.
  }
}

bool LogThrottle::Allow(long& suppressed) {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  auto next = next_allowed_.load(std::memory_order_relaxed);
  if (now < next || !next_allowed_.compare_exchange_strong(next, now + interval_.count())) {
    suppressed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  suppressed = suppressed_.exchange(0, std::memory_order_relaxed);
  return true;
}

}  // namespace foobar::app
