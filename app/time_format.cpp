// ISO-8601 formatting. gmtime_r rather than std::chrono::format: the latter is not in
// g++ 12's library.
#include "app/time_format.h"

#include <ctime>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace foobar::app {

std::string FormatIsoUtc(const CivilTime& t) {
  // Compiled: it runs for every request (the access log's ts, created_at of every message).
  return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z"), t.year, t.month, t.day, t.hour,
                     t.minute, t.second, t.millisecond);
}

std::string FormatIsoUtc(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&whole, &tm);
  return FormatIsoUtc(CivilTime{static_cast<unsigned>(tm.tm_year + 1900),
                                static_cast<unsigned>(tm.tm_mon + 1),
                                static_cast<unsigned>(tm.tm_mday),
                                static_cast<unsigned>(tm.tm_hour), static_cast<unsigned>(tm.tm_min),
                                static_cast<unsigned>(tm.tm_sec), static_cast<unsigned>(millis)});
}

}  // namespace foobar::app
