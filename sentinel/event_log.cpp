#include "sentinel/event_log.h"

#include <ctime>

#include "sentinel/server_view.h"

namespace foobar::sentinel {

std::string IsoTimeUtc(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buffer;
}

void EventLog::Write(std::string_view event, const nlohmann::json& fields) {
  nlohmann::json line = {{"ts", IsoTimeUtc(WallMs())}, {"sentinel", sentinel_}, {"event", event}};
  if (fields.is_object())
    for (const auto& [key, value] : fields.items()) line[key] = value;
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace foobar::sentinel
